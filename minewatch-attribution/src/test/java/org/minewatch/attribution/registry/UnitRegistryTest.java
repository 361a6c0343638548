package org.minewatch.attribution.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.minewatch.model.IpAddress;

class UnitRegistryTest {
  private static final String HEADER =
      "range,unit,code,category,region_code,region,address,contact\n";

  private static RegistryImport.Result csv(String body) throws IOException {
    return RegistryImport.read(new StringReader(HEADER + body), "units.csv");
  }

  private static String unitOf(UnitRegistry r, String address) {
    Allocation a = r.lookup(IpAddress.parse(address));
    return a == null ? null : a.unit().name();
  }

  @Test
  void creditCodesAreCheckedByTheStandardsWeights() {
    assertThat(CreditCode.problem("91350100M000100Y43")).isNull(); // the example of GB 32100-2015
    assertThat(CreditCode.problem("91110000802100433B")).isNull();
    assertThat(CreditCode.problem("91350100M000100Y44"))
        .isEqualTo("the check character of 91350100M000100Y44 should be 3, not 4");
    assertThat(CreditCode.problem("91350100M00O100Y43"))
        .isEqualTo(
            "\"O\" at position 12 of 91350100M00O100Y43 is not in the credit-code alphabet (digits and capitals "
                + "without I, O, Z, S, V)");
    assertThat(CreditCode.problem("9135010"))
        .isEqualTo("a unified social credit code has 18 characters, " + "\"9135010\" has 7");
    assertThat(CreditCode.withCheck("91350100M000100Y4")).isEqualTo("91350100M000100Y43");
  }

  @Test
  void longestPrefixWinsForIpv4AndIpv6() throws IOException {
    RegistryImport.Result r =
        csv(
            """
        10.0.0.0/8,Province Network,,idc,320000,江苏省,,
        10.1.0.0/16,Nanjing University,,university,320100,南京市,"22 Hankou Road, Gulou",
        10.1.2.0-10.1.2.255,Lab of Physics,,university,320100,南京市,,
        2001:db8::/32,Telecom Jiangsu,,residential,320000,江苏省,,
        2001:db8:1::/48,City Hall,,government,320100,南京市,,
        """);
    assertThat(r.problems()).isEmpty();
    UnitRegistry reg = UnitRegistry.build(r.allocations());
    assertThat(unitOf(reg, "10.1.2.5")).isEqualTo("Lab of Physics");
    assertThat(unitOf(reg, "10.1.2.0")).isEqualTo("Lab of Physics");
    assertThat(unitOf(reg, "10.1.2.255")).isEqualTo("Lab of Physics");
    assertThat(unitOf(reg, "10.1.3.0")).isEqualTo("Nanjing University");
    assertThat(unitOf(reg, "10.1.1.255")).isEqualTo("Nanjing University");
    assertThat(unitOf(reg, "10.2.0.1")).isEqualTo("Province Network");
    assertThat(unitOf(reg, "10.255.255.255")).isEqualTo("Province Network");
    assertThat(unitOf(reg, "11.0.0.0")).isNull();
    assertThat(unitOf(reg, "9.255.255.255")).isNull();
    assertThat(unitOf(reg, "2001:db8:1::7")).isEqualTo("City Hall");
    assertThat(unitOf(reg, "2001:db8:2::7")).isEqualTo("Telecom Jiangsu");
    assertThat(unitOf(reg, "2001:db9::1")).isNull();
    assertThat(reg.lookup(IpAddress.parse("10.1.9.9")).unit().address())
        .isEqualTo("22 Hankou Road, Gulou");
    assertThat(reg.lookup(IpAddress.parse("10.1.9.9")).unit().category())
        .isEqualTo(UnitCategory.UNIVERSITY);
    assertThat(reg.notes())
        .containsExactly(
            "units.csv: line 3: range 10.1.0.0-10.1.255.255 lies inside units.csv: line 2's 10.0.0.0-10.255.255.255: its "
                + "addresses belong to Nanjing University (the more specific range)",
            "units.csv: line 4: range 10.1.2.0-10.1.2.255 lies inside units.csv: line 3's 10.1.0.0-10.1.255.255: its "
                + "addresses belong to Lab of Physics (the more specific range)",
            "units.csv: line 6: range 2001:db8:1::-2001:db8:1:ffff:ffff:ffff:ffff:ffff lies inside units.csv: line 5's "
                + "2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff: its addresses belong to City Hall (the more specific "
                + "range)");
  }

  @Test
  void aHeaderWithAnEmptyColumnImportsAndOneWithATwiceNamedColumnIsAProblem() throws IOException {
    // Found by fuzzing: either header made the CSV library throw, and the import failed whole.
    String line = "10.0.0.0/8,Good Unit,91350100M000100Y43,enterprise,350100,福州市,福州市示例路1号,,\n";
    RegistryImport.Result empty =
        RegistryImport.read(
            new java.io.StringReader(
                "range,unit,code,category,region_code,region,address,contact,\n" + line),
            "units.csv");
    assertThat(empty.problems()).isEmpty();
    assertThat(empty.allocations()).extracting(a -> a.unit().name()).containsExactly("Good Unit");
    // Found by fuzzing: with several unnamed columns, a line shorter than the header threw out of
    // the import.
    RegistryImport.Result shortLine =
        RegistryImport.read(
            new java.io.StringReader(
                ",,,range,unit,code,category,region_code,region,address,contact\na,b,c,10.0.0.0/8,Short,,,,\n"),
            "units.csv");
    assertThat(shortLine.allocations()).isEmpty();
    assertThat(shortLine.problems())
        .singleElement()
        .asString()
        .startsWith("units.csv: line 2: 9 fields where the header names ");
    RegistryImport.Result twice =
        RegistryImport.read(
            new java.io.StringReader(
                "range,unit,code,category,region_code,region,address,contact,unit\n" + line),
            "units.csv");
    assertThat(twice.allocations()).isEmpty();
    assertThat(twice.problems()).containsExactly("units.csv: line 1: the header names unit twice");
  }

  @Test
  void aHeaderThatIsNotCsvAndJsonNestedTooDeepAreProblemsNotExceptions() throws IOException {
    // Found by fuzzing: a quote closed in the middle of a header field threw CSVException out of
    // the import.
    RegistryImport.Result quoted =
        RegistryImport.read(new StringReader("\"range\"x,unit\n10.0.0.0/8,U\n"), "units.csv");
    assertThat(quoted.allocations()).isEmpty();
    assertThat(quoted.problems())
        .containsExactly(
            "units.csv: line 1: the header: text after the closing quote of "
                + "field 1: \"x\" (a quote inside a quoted field is written twice); the record is skipped");
    RegistryImport.Result deep =
        RegistryImport.read(
            new StringReader(
                "[{\"range\":\"10.0.0.0/8\",\"unit\":\"U\"},"
                    + "{\"x\":"
                    + "[".repeat(2000)
                    + "]".repeat(2000)
                    + "}]"),
            "units.json");
    assertThat(deep.allocations()).extracting(a -> a.unit().name()).containsExactly("U");
    assertThat(deep.problems())
        .containsExactly(
            "units.json: line 1, column 36: element 2 is not valid JSON (Document "
                + "nesting depth (1001) exceeds the maximum allowed (1000) near line 1, column 4042); skipped");
  }

  @Test
  void badLinesAreRejectedWithTheirReasonsAndTheRestImports() throws IOException {
    RegistryImport.Result r =
        csv(
            """
        10.0.0.0/8,Good Unit,91350100M000100Y43,enterprise,350100,福州市,,
        10.0.0.1/8,Host Bits,,enterprise,,,,
        10.0.0.0/33,Too Long,,enterprise,,,,
        10.9.0.0/16,,,enterprise,,,,
        10.8.0.0/16,Odd Category,,church,,,,
        10.7.0.0/16,Bad Code,91350100M000100Y44,enterprise,,,,
        10.6.0.0/16,Bad Region,,enterprise,32010,,,
        10.5.0.0/16,Wrong Province,91350100M000100Y43,enterprise,320100,,,
        10.4.0.9-10.4.0.1,Backwards,,enterprise,,,,
        10.3.0.0/16,Short Line
        10.2.0.0/16,Fine Too,,soe,,,,
        """);
    assertThat(r.problems())
        .containsExactly(
            "units.csv: line 3: \"10.0.0.1/8\" has host bits set (the network is 10.0.0.0/8)",
            "units.csv: line 4: prefix length 33 of \"10.0.0.0/33\" is not within 0-32",
            "units.csv: line 5: no unit",
            "units.csv: line 10: \"10.4.0.9-10.4.0.1\" ends before it starts",
            "units.csv: line 11: 2 fields where the header names 8");
    // What is amiss beside the range is a warning: the unit and its range are kept.
    assertThat(r.warnings())
        .containsExactly(
            "units.csv: line 2: no address: Good Unit's site cannot be located from this record",
            "units.csv: line 6: category \"church\" is none of government, public-institution, university, soe, "
                + "enterprise, idc, residential, mobile, unknown; Odd Category is imported as unknown",
            "units.csv: line 6: no address: Odd Category's site cannot be located from this record",
            "units.csv: line 7: the check character of 91350100M000100Y44 should be 3, not 4; Bad Code is imported "
                + "without a credit code",
            "units.csv: line 7: no address: Bad Code's site cannot be located from this record",
            "units.csv: line 8: region_code \"32010\" is not a 6-digit GB/T 2260 code; Bad Region is imported without it",
            "units.csv: line 8: no address: Bad Region's site cannot be located from this record",
            "units.csv: line 9: credit code 91350100M000100Y43 was issued in province 350000, not in region 320100; "
                + "both are kept, one of them is wrong",
            "units.csv: line 9: no address: Wrong Province's site cannot be located from this record",
            "units.csv: line 12: no address: Fine Too's site cannot be located from this record");
    assertThat(r.allocations())
        .extracting(a -> a.unit().name())
        .containsExactly(
            "Good Unit", "Odd Category", "Bad Code", "Bad Region", "Wrong Province", "Fine Too");
    assertThat(r.allocations())
        .extracting(a -> a.unit().category())
        .containsExactly(
            UnitCategory.ENTERPRISE,
            UnitCategory.UNKNOWN,
            UnitCategory.ENTERPRISE,
            UnitCategory.ENTERPRISE,
            UnitCategory.ENTERPRISE,
            UnitCategory.SOE);
    assertThat(r.allocations().get(2).unit().code()).isNull();
    assertThat(r.allocations().get(3).unit().regionCode()).isNull();
    assertThat(r.allocations().get(4).unit().code()).isEqualTo("91350100M000100Y43");
    assertThat(r.allocations().get(4).unit().regionCode()).isEqualTo("320100");
    assertThat(r.allocations().get(0).unit().code()).isEqualTo("91350100M000100Y43");
  }

  @Test
  void overlapsThatDoNotNestAndRepeatsForAnotherUnitAreConflicts() throws IOException {
    List<Allocation> all =
        new ArrayList<>(
            csv("""
        192.0.2.0/25,Unit A,,enterprise,,,,
        192.0.2.64-192.0.2.191,Unit B,,enterprise,,,,
        192.0.2.0/25,Unit C,,enterprise,,,,
        192.0.2.0/25,Unit A,,enterprise,,,,
        """)
                .allocations());
    all.addAll(
        RegistryImport.read(
                new StringReader(
                    """
        [{"range": "198.51.100.0/24", "unit": "Unit D", "category": "idc"},
         {"range": "198.51.100.128/25", "unit": "Unit E", "category": "mobile", "region_code": "110000"}]
        """),
                "more.json")
            .allocations());
    UnitRegistry reg = UnitRegistry.build(all);
    assertThat(reg.notes())
        .containsExactly(
            "units.csv: line 4: range 192.0.2.0-192.0.2.127 is already units.csv: line 2's (Unit A), here given to "
                + "Unit C: conflict, not imported",
            "units.csv: line 5: range 192.0.2.0-192.0.2.127 repeats units.csv: line 2; ignored",
            "units.csv: line 3: range 192.0.2.64-192.0.2.191 overlaps units.csv: line 2's 192.0.2.0-192.0.2.127 without "
                + "either containing the other: not imported",
            "more.json: line 2, column 2: range 198.51.100.128-198.51.100.255 lies inside more.json: line 1, column 2's "
                + "198.51.100.0-198.51.100.255: its addresses belong to Unit E (the more specific range)");
    assertThat(unitOf(reg, "192.0.2.100")).isEqualTo("Unit A");
    assertThat(unitOf(reg, "192.0.2.150")).isNull();
    assertThat(unitOf(reg, "198.51.100.200")).isEqualTo("Unit E");
    assertThat(unitOf(reg, "198.51.100.1")).isEqualTo("Unit D");
  }

  @Test
  void brokenJsonKeepsWhatCameBefore() throws IOException {
    RegistryImport.Result r =
        RegistryImport.read(
            new StringReader(
                """
        {"range": "203.0.113.0/24", "unit": "Unit F", "category": "government"}
        {"range": "203.0.114.0/24", "unit": "Unit G", "category": "bank"}
        {"range": "203.0.115.0/24", "unit": "Unit H", "category":
        """),
            "units.jsonl");
    assertThat(r.allocations())
        .extracting(a -> a.unit().name())
        .containsExactly("Unit F", "Unit G");
    assertThat(r.warnings())
        .filteredOn(w -> w.contains("category"))
        .containsExactly(
            "units.jsonl: line 2, column 1: category \"bank\" is none of government, public-institution, university, "
                + "soe, enterprise, idc, residential, mobile, unknown; Unit G is imported as unknown");
    // The broken element is named by where it starts; the error's own place follows.
    assertThat(r.problems())
        .containsExactly(
            "units.jsonl: line 3, column 1: element 3 is not valid JSON (Unexpected "
                + "end-of-input within/between Object entries near line 3, column 58); skipped");
  }
}
