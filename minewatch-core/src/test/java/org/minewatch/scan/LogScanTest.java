package org.minewatch.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.evidence.Finding;
import org.minewatch.logs.LogReaderTest;
import org.minewatch.model.Role;
import org.minewatch.model.Verdict;

class LogScanTest {
  @TempDir Path dir;

  @Test
  void zeekAndSuricataLogsInAMixedFolderGiveSuspectsNamingThePool() throws Exception {
    Files.writeString(dir.resolve("dns.log"), LogReaderTest.zeekDnsTsv());
    // Zeek's ssl.log (JSON) shows a TLS connection to an address the DNS log resolved.
    Files.writeString(
        dir.resolve("ssl.log"),
        "{\"ts\":1625097605.0,\"uid\":\"C9\",\"id.orig_h\":\"10.6.0.2\","
            + "\"id.orig_p\":41000,\"id.resp_h\":\"203.0.113.70\",\"id.resp_p\":45700,\"ja3\":\"abc\"}\n");
    try (OutputStream out =
        new GZIPOutputStream(Files.newOutputStream(dir.resolve("eve.json.gz")))) {
      out.write(
          ("{\"timestamp\":\"2021-07-01T00:00:00.250000+0000\",\"event_type\":\"tls\",\"src_ip\":\"10.6.0.4\","
                  + "\"src_port\":40001,\"dest_ip\":\"203.0.113.73\",\"dest_port\":443,\"proto\":\"TCP\",\"tls\":{\"sni\":"
                  + "\"xmr-eu1.nanopool.org\"}}\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    Files.writeString(dir.resolve("notes.txt"), "not a log, skipped quietly");
    Fixtures.Scan s = Fixtures.scanPaths(List.of(dir));
    assertThat(s.findings())
        .extracting(f -> f.host().toString(), Finding::role, Finding::verdict, Finding::poolName)
        .containsExactlyInAnyOrder(
            tuple("10.6.0.2", Role.MINER, Verdict.SUSPECT, "MinerGate"),
            tuple("203.0.113.70", Role.POOL, Verdict.SUSPECT, "MinerGate"),
            tuple("10.6.0.4", Role.MINER, Verdict.SUSPECT, "Nanopool"),
            tuple("203.0.113.73", Role.POOL, Verdict.SUSPECT, "Nanopool"));
    assertThat(s.only("10.6.0.2", Role.MINER).evidence())
        .anyMatch(
            e ->
                e.contains(
                    "(dns.log, dns): DNS query for "
                        + "xmr.pool.minergate.com (mining pool MinerGate)"));
    assertThat(s.only("10.6.0.2", Role.MINER).source()).isEqualTo("zeek");
    assertThat(s.only("10.6.0.4", Role.MINER).source()).isEqualTo("suricata-eve");
    assertThat(s.result().stats().files()).isEqualTo(3);
    assertThat(s.result().stats().logRecords()).isEqualTo(4);
    assertThat(s.result().stats().skippedFiles()).isEqualTo(1);
    assertThat(s.problems())
        .containsExactly(
            dir.resolve("dns.log") + ": line 10: 1 fields where the header names 9",
            dir.resolve("dns.log") + ": line 11: no ts, id.orig_h or id.resp_h");
  }
}
