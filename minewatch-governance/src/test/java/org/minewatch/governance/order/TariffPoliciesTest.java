package org.minewatch.governance.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TariffPoliciesTest {
  private static final String HEADER =
      "id,region_code,region,kind,yuan_per_kwh,basis_zh,basis_en,source\n";

  @Test
  void everyBuiltInRowParses() {
    TariffPolicies t = TariffPolicies.builtIn();
    assertThat(t.problems()).isEmpty();
    assertThat(t.all())
        .extracting(TariffPolicy::id)
        .containsExactly("inner-mongolia-2022", "sichuan-2022", "hainan-2021", "tariff-misuse");

    TariffPolicy nm = t.require("inner-mongolia-2022");
    assertThat(nm.regionCode()).isEqualTo("150000");
    assertThat(nm.region()).isEqualTo("内蒙古自治区");
    assertThat(nm.regionEn()).isEqualTo("Inner Mongolia");
    assertThat(nm.kind()).isEqualTo(PolicyKind.SURCHARGE);
    assertThat(nm.yuanPerKwh()).isEqualByComparingTo("1");
    assertThat(nm.source()).contains("内发改价费字〔2022〕115号");

    TariffPolicy sc = t.require("sichuan-2022");
    assertThat(sc.regionCode()).isEqualTo("510000");
    assertThat(sc.kind()).isEqualTo(PolicyKind.WHOLE_ACCOUNT_SURCHARGE);
    assertThat(sc.yuanPerKwh()).isEqualByComparingTo("2");
    assertThat(sc.source()).contains("川发改价格规〔2022〕186号");
    assertThat(sc.basisEn()).contains("entire consumption of the account");

    TariffPolicy hi = t.require("hainan-2021");
    assertThat(hi.regionCode()).isEqualTo("460000");
    assertThat(hi.kind()).isEqualTo(PolicyKind.SURCHARGE);
    assertThat(hi.yuanPerKwh()).isEqualByComparingTo("0.8");
    assertThat(hi.source()).contains("2021年12月3日");

    TariffPolicy misuse = t.require("tariff-misuse");
    assertThat(misuse.regionCode()).isEqualTo(TariffPolicy.NATIONAL);
    assertThat(misuse.kind()).isEqualTo(PolicyKind.TARIFF_MISUSE);
    assertThat(misuse.yuanPerKwh()).isNull();
    assertThat(misuse.source()).contains("《供电营业规则》");
    assertThat(misuse.basisZh()).contains("二倍差额电费", "三个月", "90 天");
  }

  @Test
  void anUnknownIdIsReportedWithTheKnownOnes() {
    TariffPolicies t = TariffPolicies.builtIn();
    assertThat(t.find("guangxi")).isEmpty();
    assertThatThrownBy(() -> t.require("guangxi"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown tariff policy id 'guangxi' in tariff-policies.csv (built in); known: "
                + "inner-mongolia-2022, sichuan-2022, hainan-2021, tariff-misuse");
  }

  @Test
  void aBadRowIsReportedWithLineAndFieldAndTheOthersKept() throws IOException {
    String csv =
        HEADER
            + "a,150000,内蒙古,surcharge,1.00,甲,A,doc\n" // line 2
            + "b,460000,海南,surcharge,abc,乙,B,doc\n" // line 3: bad number
            + "c,460000,海南,flat-fee,0.5,丙,C,doc\n" // line 4: unknown kind
            + "# a comment\n" // line 5
            + "d,510000,四川,whole-account-surcharge,2,丁,\"D, with a comma\",doc\n" // line 6
            + "e,51000,四川,surcharge,2,戊,E,doc\n" // line 7: short region code
            + "f,000000,全国,tariff-misuse,0.3,己,F,doc\n" // line 8: rate on misuse
            + "g,510000,四川,surcharge,-1,庚,G,doc\n" // line 9: negative
            + "a,150000,内蒙古,surcharge,3,辛,H,doc\n" // line 10: duplicate id
            + "h,150000,内蒙古,surcharge,1\n"; // line 11: too few fields
    TariffPolicies t = TariffPolicies.parse(new StringReader(csv), "test.csv");

    assertThat(t.all()).extracting(TariffPolicy::id).containsExactly("a", "d");
    assertThat(t.require("d").basisEn()).isEqualTo("D, with a comma");
    assertThat(t.require("a").yuanPerKwh()).isEqualByComparingTo("1.00");
    assertThat(t.require("a").regionEn()).isEqualTo("内蒙古"); // no region_en column: the Chinese name
    assertThat(t.problems())
        .containsExactly(
            new TariffPolicies.Problem(3, "yuan_per_kwh", "not a number: 'abc'"),
            new TariffPolicies.Problem(
                4,
                "kind",
                "unknown kind 'flat-fee' (expected surcharge, whole-account-surcharge or tariff-misuse)"),
            new TariffPolicies.Problem(7, "region_code", "not a six-digit code: '51000'"),
            new TariffPolicies.Problem(8, "yuan_per_kwh", "must be empty for tariff-misuse"),
            new TariffPolicies.Problem(9, "yuan_per_kwh", "must be positive: -1"),
            new TariffPolicies.Problem(10, "id", "duplicate id 'a', the first one is kept"),
            new TariffPolicies.Problem(11, "row", "expected 8 fields, found 5"));
    assertThat(t.problems().get(0)).hasToString("line 3, field yuan_per_kwh: not a number: 'abc'");
  }

  @Test
  void aHeaderWithoutTheRequiredColumnsIsRefused() {
    assertThatThrownBy(
            () -> TariffPolicies.parse(new StringReader("id,region_code,kind\n"), "x.csv"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "x.csv line 1: missing column(s) region, yuan_per_kwh, basis_zh, basis_en, source");
  }

  @Test
  void aUserFileReplacesTheBuiltInTable(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("mine.csv");
    Files.writeString(
        file, "\uFEFF" + HEADER + "gz,450000,广西,surcharge,0.5,壬,I,doc\n", StandardCharsets.UTF_8);
    TariffPolicies t = TariffPolicies.read(file);
    assertThat(t.problems()).isEmpty();
    assertThat(t.sourceName()).isEqualTo(file.toString());
    assertThat(t.all())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.id()).isEqualTo("gz");
              assertThat(p.yuanPerKwh()).isEqualTo(new BigDecimal("0.5"));
            });
  }

  @Test
  void policiesForARegionAreTheProvincesAndTheNationalOnes() {
    TariffPolicies t = TariffPolicies.builtIn();
    assertThat(t.forRegion("150102"))
        .extracting(TariffPolicy::id)
        .containsExactly("inner-mongolia-2022", "tariff-misuse");
    assertThat(t.forRegion("440300")).extracting(TariffPolicy::id).containsExactly("tariff-misuse");
  }
}
