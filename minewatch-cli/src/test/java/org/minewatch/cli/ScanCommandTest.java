package org.minewatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.testkit.PcapWriter;

class ScanCommandTest extends ConsoleTest {
  @TempDir Path dir;

  private Path capture;

  @BeforeEach
  void writeCapture() throws IOException {
    capture = writeXmrigCapture(dir.resolve("one.pcap"), PcapWriter.Link.LINUX_SLL, true);
  }

  private static List<Map<String, Object>> jsonLines(String text) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String line : text.split("\n")) {
      try (JsonParser p = new JsonFactory().createParser(line)) {
        @SuppressWarnings("unchecked")
        Map<String, Object> row = (Map<String, Object>) value(p, p.nextToken());
        rows.add(row);
      }
    }
    return rows;
  }

  /** A JSON value as maps, lists, strings, longs, doubles and nulls. */
  private static Object value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT -> {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          m.put(name, value(p, p.nextToken()));
        }
        return m;
      }
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
          l.add(value(p, e));
        }
        return l;
      }
      case VALUE_NULL -> {
        return null;
      }
      case VALUE_NUMBER_INT -> {
        return p.getLongValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        return p.getDoubleValue();
      }
      default -> {
        return p.getText();
      }
    }
  }

  @Test
  void jsonLinesCarryEveryKeyWithNullsWhereUnknown() throws IOException {
    assertThat(MineWatch.run("scan", "--format", "jsonl", capture.toString())).isZero();
    List<Map<String, Object>> rows = jsonLines(stdout().strip());
    assertThat(rows).hasSize(2);
    Map<String, Object> miner = rows.get(0);
    assertThat(miner.keySet())
        .containsExactly(
            "host",
            "role",
            "verdict",
            "coin",
            "protocol",
            "peers",
            "login",
            "worker",
            "agent",
            "first_seen",
            "last_seen",
            "flows",
            "bytes",
            "evidence",
            "source",
            "pool_name",
            "wallet",
            "operation",
            "algorithm",
            "hashrate",
            "workers",
            "reported_hashrate",
            "power_w",
            "kwh_per_day",
            "tls",
            "unit",
            "geo",
            "assessment");
    // One share in the session: a hash-rate object that says so instead of a number.
    @SuppressWarnings("unchecked")
    Map<String, Object> rate = (Map<String, Object>) miner.get("hashrate");
    assertThat(rate)
        .containsEntry("value", null)
        .containsEntry("unit", "H/s")
        .containsEntry("shares", 1L)
        .containsEntry("method", "shares")
        .containsEntry("note", "too few shares (at least 5 needed)");
    assertThat(miner)
        .containsEntry("source", "packets")
        .containsEntry("algorithm", "randomx")
        .containsEntry("reported_hashrate", null)
        .containsEntry("power_w", null)
        .containsEntry("kwh_per_day", null);
    assertThat(miner)
        .containsEntry("host", "10.9.0.5")
        .containsEntry("role", "miner")
        .containsEntry("verdict", "mining")
        .containsEntry("coin", "monero")
        .containsEntry("protocol", "stratum-xmr")
        .containsEntry("peers", List.of("198.51.100.9:3333"))
        .containsEntry("worker", "box1")
        .containsEntry("agent", "XMRig/6.16.4")
        .containsEntry("first_seen", "2021-09-24T10:00:00Z")
        .containsEntry("flows", 1L);
    assertThat((String) miner.get("login")).startsWith("44AFFq5k").hasSize(95);
    // The wallet check, login, job, submit, keepalived, share summary.
    assertThat((List<?>) miner.get("evidence")).hasSize(6);
    assertThat(miner.get("wallet")).isEqualTo(miner.get("login"));
    assertThat(((List<?>) miner.get("evidence")).get(0))
        .isEqualTo(
            "login "
                + miner.get("login")
                + " is a valid monero mainnet standard address (keccak-256 checksum verified)");
    Map<String, Object> pool = rows.get(1);
    assertThat(pool)
        .containsEntry("role", "pool")
        .containsEntry("login", null)
        .containsEntry("agent", null);
    // Without a registry: no unit; the assessment still weighs what the traffic shows (nothing
    // here).
    assertThat(miner)
        .containsEntry("unit", null)
        .containsEntry("geo", null)
        .containsEntry("assessment", Map.of("kind", "undetermined", "reasons", List.of()));
    assertThat(pool).containsEntry("assessment", null);
    assertThat(stderr())
        .matches(
            "(?s)minewatch: 1 files, 16 packets, 1 flows, 2 findings, 0 malformed records, "
                + "0 malformed packets, [0-9.]+ seconds\\s*");
  }

  @Test
  void aRegistryAttributesHostsToUnitsAndAssessesTheirMining() throws IOException {
    Path registry = dir.resolve("units.csv");
    Files.writeString(
        registry,
        "range,unit,code,category,region_code,region,address,contact\n"
            + "10.9.0.0/16,Example Institute,12320100MB0000012N,public-institution,320100,南京市,\"1 Road, Gulou\",a@b\n"
            + "10.9.0.0/24,Example Lab,,university,320100,南京市,,\n"
            + "10.9.1.0/24,Odd Category,,bank,,,,\n"
            + "10.9.0.0/33,Broken,,university,,,,\n");
    assertThat(
            MineWatch.run(
                "scan", "-q", "-f", "jsonl", "--registry", registry.toString(), capture.toString()))
        .isZero();
    Map<String, Object> miner = jsonLines(stdout().strip()).get(0);
    Map<String, Object> unit =
        new java.util.HashMap<>(
            Map.of(
                "name",
                "Example Lab",
                "category",
                "university",
                "region_code",
                "320100",
                "region",
                "南京市"));
    unit.put("code", null);
    unit.put("address", null);
    assertThat(miner.get("unit")).isEqualTo(unit);
    @SuppressWarnings("unchecked")
    Map<String, Object> assessment = (Map<String, Object>) miner.get("assessment");
    assertThat(assessment)
        .containsEntry("kind", "compromised")
        .containsEntry(
            "reasons",
            List.of(
                "compromise: "
                    + "XMRig-family miner (XMRig/6.16.4) on a host of Example Lab, a university unit, where servers do not mine by "
                    + "design"));
    assertThat(stderr())
        .contains("minewatch: warning: " + registry + ": line 4: category \"bank\" is none of")
        .contains(
            "minewatch: "
                + registry
                + ": line 5: prefix length 33 of \"10.9.0.0/33\" is not within 0-32")
        .contains(
            "minewatch: "
                + registry
                + ": line 3: range 10.9.0.0-10.9.0.255 lies inside "
                + registry
                + ": line 2's 10.9.0.0-10.9.255.255: its addresses belong to Example Lab (the more specific range)");
    assertThat(
            MineWatch.run(
                "scan", "--registry", dir.resolve("none.csv").toString(), capture.toString()))
        .isEqualTo(2);
    assertThat(stderr())
        .contains("minewatch scan: --registry " + dir.resolve("none.csv") + ": no such file");
  }

  @Test
  void csvHasAHeaderAndOneRowPerFinding() throws IOException {
    Path csv = dir.resolve("out.csv");
    assertThat(MineWatch.run("scan", "-q", "-f", "csv", "-o", csv.toString(), capture.toString()))
        .isZero();
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0))
        .isEqualTo(
            "host,role,verdict,coin,protocol,peers,login,worker,agent,first_seen,last_seen,flows,bytes,evidence,"
                + "source,pool_name,wallet,operation,algorithm,hashrate,hashrate_low,hashrate_high,hashrate_unit,shares,hashrate_method,reported_hashrate,"
                + "power_w_low,power_w_best,power_w_high,kwh_per_day_low,kwh_per_day_best,kwh_per_day_high,"
                + "tls_sni,tls_ja3,tls_ja4,unit,unit_code,unit_category,region_code,region,unit_address,geo_country,"
                + "geo_province,geo_city,geo_isp,geo_asn,assessment,assessment_reasons");
    assertThat(lines).hasSize(3);
    assertThat(lines.get(2))
        .startsWith("198.51.100.9,pool,mining,monero,stratum-xmr,10.9.0.5:41000,,,,");
    assertThat(stderr()).isEmpty();
  }

  @Test
  void theTableShowsFindingsAndTheirEvidence() {
    assertThat(MineWatch.run("scan", capture.toString())).isZero();
    String table = stdout();
    assertThat(table).startsWith("HOST ");
    assertThat(table).contains("10.9.0.5      miner  mining   monero  stratum-xmr");
    assertThat(table)
        .contains(
            "    - TCP 10.9.0.5:41000 -> 198.51.100.9:3333 at 2021-09-24T10:00:00.000603Z: "
                + "client sent login (agent \"XMRig/6.16.4\")");
  }

  @Test
  void unusableArgumentsAndNoReadableInputExitWith2() throws IOException {
    assertThat(MineWatch.run("scan")).isEqualTo(2);
    assertThat(MineWatch.run("scan", "--format", "xml", capture.toString())).isEqualTo(2);
    assertThat(stderr()).contains("unknown format: xml");
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "not a capture");
    assertThat(MineWatch.run("scan", text.toString(), dir.resolve("missing.pcap").toString()))
        .isEqualTo(2);
    assertThat(stderr())
        .contains("minewatch: " + text + ": not a capture")
        .contains("minewatch: " + dir.resolve("missing.pcap") + ": no such file or directory")
        .contains("minewatch scan: no readable capture, flow export or log among the inputs");
  }

  @Test
  void aReadableFileBesideABadOneStillScansAndExits0() throws IOException {
    Path text = dir.resolve("notes.pcap");
    Files.writeString(text, "not a capture");
    assertThat(MineWatch.run("scan", "-f", "jsonl", text.toString(), capture.toString())).isZero();
    assertThat(jsonLines(stdout().strip())).hasSize(2);
    assertThat(stderr()).contains(text + ": not a capture");
  }
}
