package org.minewatch.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.minewatch.evidence.Finding;
import org.minewatch.model.Role;
import org.minewatch.scan.ScanReporter;
import org.minewatch.scan.Scanner;

/**
 * A host seen both in packets (a sensor's capture) and in flow records (an exporter's archive) is
 * one finding per role: the packets' verdict and evidence and the records' shape together, its
 * sources both named, and a connection seen by both counted once. Real miners of ../shared, their
 * records made by softflowd, nfcapd and nfdump.
 */
class PacketsAndFlowRecordsTest {
  private static final Path MINING =
      Path.of("").toAbsolutePath().getParent().resolve("../shared/corpus/real-miners/mining");

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
    "xmrig_rx0_tls443_180s.pcap, 10.66.0.11, 203.0.113.11:443, likely, mining-behaviour",
    "cpuminer_sha256d_tcp4444_180s.pcap, 10.66.0.24, 203.0.113.24:4444, mining, stratum-v1"
  })
  void aMinerInPacketsAndFlowRecordsIsOneFinding(
      String name, String host, String pool, String verdict, String protocol) throws Exception {
    Path capture = MINING.resolve(name);
    assumeTrue(Files.isRegularFile(capture), capture + " is absent (../shared); skipped");
    assumeTrue(
        org.minewatch.testkit.exporters.NfdumpExport.installed(),
        "softflowd, nfcapd or nfdump is not installed (apt-get install softflowd nfdump); skipped");
    Path csv = org.minewatch.testkit.exporters.NfdumpExport.csvOf(capture, dir);
    assertThat(csv).isNotNull();

    List<Finding> records = miners(new Scanner(ScanReporter.SILENT).scan(List.of(csv)).findings());
    assertThat(records).as("the flow records alone").hasSize(1);
    assertThat(records.get(0).source()).isEqualTo("nfdump");

    List<Finding> both =
        miners(new Scanner(ScanReporter.SILENT).scan(List.of(capture, csv)).findings());
    assertThat(both).hasSize(1);
    Finding miner = both.get(0);
    System.out.println(
        "COMBINED "
            + miner.flows()
            + " flows "
            + miner.bytes()
            + " bytes "
            + miner.firstSeen()
            + " "
            + miner.lastSeen()
            + " recs "
            + records.get(0).flows()
            + " "
            + records.get(0).bytes());
    assertThat(miner.host().toString()).isEqualTo(host);
    assertThat(miner.source()).isEqualTo("nfdump,packets");
    assertThat(miner.verdict().label()).isEqualTo(verdict);
    assertThat(miner.protocol().label()).isEqualTo(protocol);
    assertThat(miner.peers().stream().map(Object::toString).toList()).containsExactly(pool);
    // One connection, seen twice: counted once, with the larger of the two byte counts.
    Finding packets =
        miners(new Scanner(ScanReporter.SILENT).scan(List.of(capture)).findings()).get(0);
    assertThat(miner.flows()).isEqualTo(1);
    assertThat(miner.bytes()).isEqualTo(Math.max(packets.bytes(), records.get(0).bytes()));
    assertThat(miner.firstSeen()).isEqualTo(min(packets.firstSeen(), records.get(0).firstSeen()));
    assertThat(miner.lastSeen()).isEqualTo(max(packets.lastSeen(), records.get(0).lastSeen()));
    assertThat(miner.evidence())
        .as("the packets' sentences and the records'")
        .anyMatch(s -> s.contains("flow records"))
        .anyMatch(s -> !s.contains("flow records"));
  }

  private static java.time.Instant min(java.time.Instant a, java.time.Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static java.time.Instant max(java.time.Instant a, java.time.Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static List<Finding> miners(List<Finding> findings) {
    return findings.stream().filter(f -> f.role() == Role.MINER).toList();
  }
}
