package org.minewatch.attribution.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.minewatch.attribution.assess.Assessor;
import org.minewatch.attribution.registry.RegistryImport;
import org.minewatch.attribution.registry.UnitRegistry;

/**
 * A province's findings whose right answers are known: 12 miners over 6 units, one of them found by
 * two scans, one pool, one node and a suspect. The figures are recomputed here from the same table
 * and compared with the report's.
 */
class ReportBuilderTest {
  private static final String REGISTRY =
      """
      range,unit,code,category,region_code,region,address,contact
      10.1.0.0/16,City Hall,,government,320100,南京市,,
      10.2.0.0/16,Nanjing University,,university,320100,南京市,,
      10.3.0.0/16,Steel Works,,soe,320200,无锡市,,
      10.4.0.0/16,Shop Ltd,,enterprise,320500,苏州市,,
      10.5.0.0/16,Cloud IDC,,idc,320500,苏州市,,
      10.6.0.0/16,Home Broadband,,residential,320200,无锡市,,
      """;
  private static final String W1 = "wallet-one";

  /**
   * host, verdict, coin, agent, wallet-or-login, pool, kWh best (low = best/2, high = best*2),
   * hashrate, algorithm.
   */
  private static final Object[][] MINERS = {
    {"10.1.0.5", "mining", "monero", "XMRig/6.16.4", W1, "C3Pool", 1.0, 700.0, "randomx"},
    {"10.2.0.7", "mining", "monero", "XMRig/6.16.4", W1, "C3Pool", 2.0, 1300.0, "randomx"},
    {"10.2.0.8", "likely", null, null, null, null, null, null, null},
    {
      "10.3.0.9",
      "mining",
      "monero",
      "xmrig/6.18.0",
      "other-wallet",
      "SupportXMR",
      0.5,
      300.0,
      "randomx"
    },
    {"10.4.0.1", "mining", "ethereum", "lolMiner 1.42", "acct.r1", "F2Pool", 24.0, 3.0e8, "ethash"},
    {"10.4.0.2", "mining", "ethereum", "lolMiner 1.42", "acct.r2", "F2Pool", 24.0, 3.0e8, "ethash"},
    {"10.4.0.3", "mining", "ethereum", "lolMiner 1.42", "acct.r3", "F2Pool", 24.0, 3.0e8, "ethash"},
    {
      "10.5.0.1",
      "mining",
      "bitcoin",
      "bmminer/2.0.0",
      "farm.a1",
      "AntPool",
      80.0,
      1.0e14,
      "sha256d"
    },
    {
      "10.6.0.1", "mining", "bitcoin", "cgminer/4.12.1", "home.x", "ViaBTC", 30.0, 3.0e13, "sha256d"
    },
    {"10.6.0.2", "mining", null, null, null, null, null, null, null},
    {"172.16.0.1", "mining", "monero", "XMRig/6.16.4", W1, "C3Pool", 1.5, 900.0, "randomx"},
    {"10.1.0.6", "mining", "zcash", "nheqminer", "t1abc", null, 3.0, 500.0, "equihash-200-9"}
  };

  private static String line(
      String host,
      String role,
      String verdict,
      String coin,
      String agent,
      String login,
      String pool,
      Double kwh,
      Double rate,
      String algorithm,
      String firstSeen) {
    StringBuilder b =
        new StringBuilder(
            "{\"host\":\""
                + host
                + "\",\"role\":\""
                + role
                + "\",\"verdict\":\""
                + verdict
                + "\",\"coin\":"
                + q(coin)
                + ",\"protocol\":\"stratum-v1\",\"peers\":[\"198.51.100.1:3333\"],"
                + "\"login\":"
                + q(login)
                + ",\"worker\":null,\"agent\":"
                + q(agent)
                + ",\"first_seen\":\""
                + firstSeen
                + "\",\"last_seen\":\""
                + firstSeen
                + "\",\"flows\":1,\"bytes\":100,\"evidence\":[],\"pool_name\":"
                + q(pool)
                + ",\"wallet\":"
                + q(login != null && login.startsWith("wallet") ? login : null)
                + ",\"operation\":"
                + q(login == null ? null : "op-" + login.split("\\.")[0])
                + ",\"algorithm\":"
                + q(algorithm));
    b.append(",\"hashrate\":")
        .append(
            rate == null
                ? "null"
                : "{\"value\":"
                    + rate
                    + ",\"unit\":\""
                    + ("equihash-200-9".equals(algorithm) ? "Sol/s" : "H/s")
                    + "\"}");
    b.append(",\"kwh_per_day\":")
        .append(
            kwh == null
                ? "null"
                : String.format(
                    Locale.ROOT, "{\"low\":%s,\"best\":%s,\"high\":%s}", kwh / 2, kwh, kwh * 2));
    return b.append(",\"unit\":null,\"geo\":null,\"assessment\":null}").toString();
  }

  private static String q(String s) {
    return s == null ? "null" : "\"" + s + "\"";
  }

  private static String findings() {
    List<String> lines = new ArrayList<>();
    for (Object[] m : MINERS) {
      lines.add(
          line(
              (String) m[0],
              "miner",
              (String) m[1],
              (String) m[2],
              (String) m[3],
              (String) m[4],
              (String) m[5],
              (Double) m[6],
              (Double) m[7],
              (String) m[8],
              "2021-11-09T02:00:00Z"));
    }
    // The same rig in a second scan, later, with a smaller estimate: still one address.
    lines.add(
        line(
            "10.1.0.5",
            "miner",
            "suspect",
            "monero",
            "XMRig/6.16.4",
            W1,
            "C3Pool",
            0.5,
            300.0,
            "randomx",
            "2021-11-10T02:00:00Z"));
    lines.add(
        line(
            "198.51.100.1",
            "pool",
            "mining",
            "monero",
            null,
            null,
            null,
            null,
            null,
            null,
            "2021-11-09T02:00:00Z"));
    lines.add(
        line(
            "10.3.0.50",
            "node",
            "node",
            "bitcoin",
            null,
            null,
            null,
            null,
            null,
            null,
            "2021-11-09T02:00:00Z"));
    lines.add(
        line(
            "10.3.0.51",
            "miner",
            "suspect",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            "2021-11-09T02:00:00Z"));
    lines.add("{\"not\": \"a finding\"}");
    return String.join("\n", lines) + "\n";
  }

  private static ReportData build(List<String> problems) throws IOException {
    List<FindingsReader.Row> rows =
        FindingsReader.read(
            "scans.jsonl", new BufferedReader(new StringReader(findings())), problems);
    UnitRegistry registry =
        UnitRegistry.build(
            RegistryImport.read(new StringReader(REGISTRY), "units.csv").allocations());
    return ReportBuilder.build(
        rows, registry, new Assessor(Set.of("C3Pool"), ZoneId.of("Asia/Shanghai")));
  }

  @Test
  void figuresAreThoseRecomputedFromTheSameTable() throws IOException {
    List<String> problems = new ArrayList<>();
    ReportData d = build(problems);
    assertThat(problems).containsExactly("scans.jsonl:17: field \"host\" is missing");

    // Recomputed from the table: every miner row is a mining address (verdict mining or likely).
    Map<String, String> categoryOfPrefix =
        Map.of(
            "10.1",
            "government",
            "10.2",
            "university",
            "10.3",
            "soe",
            "10.4",
            "enterprise",
            "10.5",
            "idc",
            "10.6",
            "residential");
    Map<String, String> regionOfPrefix =
        Map.of(
            "10.1", "南京市", "10.2", "南京市", "10.3", "无锡市", "10.4", "苏州市", "10.5", "苏州市", "10.6",
            "无锡市");
    Map<String, Integer> byCategory = new TreeMap<>();
    Map<String, Integer> byRegion = new TreeMap<>();
    Map<String, Integer> byCoin = new TreeMap<>();
    double[] kwh = new double[3];
    int institutional = 0;
    for (Object[] m : MINERS) {
      String prefix = ((String) m[0]).substring(0, 4);
      String category = categoryOfPrefix.getOrDefault(prefix, "unknown");
      byCategory.merge(category, 1, Integer::sum);
      byRegion.merge(regionOfPrefix.getOrDefault(prefix, "unknown"), 1, Integer::sum);
      byCoin.merge(m[2] == null ? "unknown" : (String) m[2], 1, Integer::sum);
      if (Set.of("government", "public-institution", "university", "soe", "enterprise")
          .contains(category)) {
        institutional++;
      }
      if (m[6] != null) {
        kwh[0] += (Double) m[6] / 2;
        kwh[1] += (Double) m[6];
        kwh[2] += (Double) m[6] * 2;
      }
    }
    assertThat(d.miningHosts()).isEqualTo(MINERS.length).isEqualTo(12);
    assertThat(d.units()).isEqualTo(6);
    Map<String, Integer> nonZero = new TreeMap<>();
    d.byCategory()
        .forEach(
            (k, v) -> {
              if (v > 0) {
                nonZero.put(k, v);
              }
            });
    assertThat(nonZero).isEqualTo(byCategory);
    assertThat(d.byRegion()).isEqualTo(byRegion);
    assertThat(d.byCoin()).isEqualTo(byCoin);
    assertThat(d.shareGovUnivEnterprise())
        .isCloseTo((double) institutional / MINERS.length, within(1e-12))
        .isCloseTo(8.0 / 12, within(1e-12));
    assertThat(d.kwhPerDay()).containsExactly(kwh, within(1e-9));
    assertThat(d.kwhPerDay()[1]).isCloseTo(190.0, within(1e-9));

    // The assessment, rule by rule: XMRig on institutional hosts, and wallet-one across three units
    // (City Hall, Nanjing University, an address without a unit does not count as a unit).
    assertThat(d.hosts())
        .filteredOn(h -> h.host().equals("10.1.0.5"))
        .singleElement()
        .satisfies(h -> assertThat(h.assessment().kind().label()).isEqualTo("compromised"));
    assertThat(d.compromised())
        .isEqualTo(4); // 10.1.0.5, 10.2.0.7, 10.3.0.9, 172.16.0.1 (C3Pool + wallet)
    assertThat(d.deliberate())
        .isEqualTo(5); // the F2Pool farm (3), the bmminer farm host, the cgminer home rig
    assertThat(d.undetermined()).isEqualTo(3);

    // Hash rate by algorithm: sums; the twice-seen rig keeps its larger estimate.
    assertThat(d.hashrateByAlgorithm().get("randomx").value())
        .isCloseTo(700 + 1300 + 300 + 900, within(1e-9));
    assertThat(d.hashrateByAlgorithm().get("ethash").value()).isCloseTo(9.0e8, within(1.0));
    assertThat(d.hashrateByAlgorithm().get("equihash-200-9").unit()).isEqualTo("Sol/s");

    // Top units: most mining addresses first, then energy.
    assertThat(d.topUnits())
        .extracting(u -> u.unit().name() + "=" + u.hosts())
        .containsExactly(
            "Shop Ltd=3",
            "Home Broadband=2",
            "City Hall=2",
            "Nanjing University=2",
            "Cloud IDC=1",
            "Steel Works=1");
    // Top operations: most addresses first, then energy: the enterprise's GPU farm, then the
    // wallet shared by three units (the address without a unit counts as its own).
    assertThat(d.topOperations())
        .extracting(o -> o.id() + " " + o.hosts() + " hosts " + o.units() + " units")
        .startsWith("op-acct 3 hosts 1 units", "op-wallet-one 3 hosts 3 units");
  }

  @Test
  void everyFormatCarriesTheSameFigures() throws IOException {
    ReportData d = build(new ArrayList<>());
    Instant at = Instant.parse("2026-11-27T00:00:00Z");
    StringWriter json = new StringWriter();
    new ReportWriter(d, "en", at).write("json", json);
    assertThat(json.toString())
        .contains(
            "\"mining_hosts\" : 12,",
            "\"units\" : 6,",
            "\"share_gov_univ_enterprise\" : 0.6667,",
            "\"compromised\" : 4,",
            "\"deliberate\" : 5,",
            "\"kwh_per_day\" : {\n    \"low\" : 95,\n    \"best\" : 190,\n    \"high\" : 380\n  }",
            "\"power_w\" : {\n    \"low\" : 3958,\n    \"best\" : 7917,\n    \"high\" : 15830\n  }");
    StringWriter md = new StringWriter();
    new ReportWriter(d, "zh", at).write("md", md);
    assertThat(md.toString())
        .startsWith("# 挖矿活动监测报告\n")
        .contains("| 挖矿IP地址 | 12 |", "| 国有企业 | 1 |", "| 党政机关、事业单位、高校和企业占比 | 66.7% |");
    StringWriter csv = new StringWriter();
    new ReportWriter(d, "en", at).write("csv", csv);
    assertThat(csv.toString()).contains("by_region,苏州市,4,152,76–304\r\n", "by_coin,monero,4\r\n");
    StringWriter html = new StringWriter();
    new ReportWriter(d, "en", at).write("html", html);
    String page = html.toString();
    assertThat(page)
        .contains(
            "<svg id=\"chart-by_category\"",
            "<svg id=\"chart-by_region\"",
            "<svg id=\"chart-energy_by_region\"",
            "<table id=\"top_units\">");
    // Self-contained: the only URL is the SVG namespace, never fetched.
    assertThat(page.replace("http://www.w3.org/2000/svg", ""))
        .doesNotContain("http:", "https:", "src=", "href=");
  }

  @Test
  void aHostWithoutAUnitIsCountedWhereTheGeolocationDatabasePlacesIt() throws Exception {
    String text =
        line(
                "175.16.199.7",
                "miner",
                "mining",
                "monero",
                null,
                null,
                null,
                null,
                null,
                null,
                "2021-11-09T02:00:00Z")
            + "\n"
            + line(
                "10.1.0.5",
                "miner",
                "mining",
                "monero",
                null,
                null,
                null,
                null,
                null,
                null,
                "2021-11-09T02:00:00Z")
            + "\n";
    List<FindingsReader.Row> rows =
        FindingsReader.read(
            "scan.jsonl", new BufferedReader(new StringReader(text)), new ArrayList<>());
    UnitRegistry registry =
        UnitRegistry.build(
            RegistryImport.read(new StringReader(REGISTRY), "units.csv").allocations());
    java.nio.file.Path db =
        java.nio.file.Path.of(getClass().getResource("/geo/GeoIP2-City-Test.mmdb").toURI());
    try (var city = org.minewatch.attribution.geo.GeoDatabases.open(db, "zh")) {
      ReportData d = ReportBuilder.build(rows, registry, List.of(city), Assessor.defaults());
      assertThat(d.byRegion()).isEqualTo(Map.of("吉林 长春", 1, "南京市", 1));
      assertThat(d.byCategory()).containsEntry("unknown", 1).containsEntry("government", 1);
    }
  }
}
