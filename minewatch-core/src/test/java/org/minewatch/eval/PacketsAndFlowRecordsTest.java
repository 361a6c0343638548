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
    "xmrig_rx0_tls443_180s.pcap, 10.66.0.11, 203.0.113.11:443, likely, mining-behaviour,"
        + " nfdump;packets",
    "cpuminer_sha256d_tcp4444_180s.pcap, 10.66.0.24, 203.0.113.24:4444, mining, stratum-v1,"
        + " nfdump;packets",
    // Judged only at its end, after the records (the last input) were read; its 30 s are too
    // short for the records' shape.
    "xmrig_rx0_tls9443_30s.pcap, 10.66.0.17, 203.0.113.17:9443, likely, mining-behaviour, packets"
  })
  void aMinerInPacketsAndFlowRecordsIsOneFinding(
      String name, String host, String pool, String verdict, String protocol, String sourceList)
      throws Exception {
    String sources = sourceList.replace(';', ',');
    Path capture = MINING.resolve(name);
    assumeTrue(Files.isRegularFile(capture), capture + " is absent (../shared); skipped");
    assumeTrue(
        org.minewatch.testkit.exporters.NfdumpExport.installed(),
        "softflowd, nfcapd or nfdump is not installed (apt-get install softflowd nfdump); skipped");
    Path csv = org.minewatch.testkit.exporters.NfdumpExport.csvOf(capture, dir);
    assertThat(csv).isNotNull();

    List<Finding> records = miners(new Scanner(ScanReporter.SILENT).scan(List.of(csv)).findings());
    List<Finding> both =
        miners(new Scanner(ScanReporter.SILENT).scan(List.of(capture, csv)).findings());
    assertThat(both).hasSize(1);
    List<Finding> recordsFirst =
        miners(new Scanner(ScanReporter.SILENT).scan(List.of(csv, capture)).findings());
    assertThat(recordsFirst).hasSize(1);
    assertThat(counts(recordsFirst.get(0)))
        .as("the records read first")
        .isEqualTo(counts(both.get(0)));
    Finding miner = both.get(0);
    Finding packets =
        miners(new Scanner(ScanReporter.SILENT).scan(List.of(capture)).findings()).get(0);
    assertThat(miner.host().toString()).isEqualTo(host);
    assertThat(miner.source()).isEqualTo(sources);
    assertThat(miner.verdict().label()).isEqualTo(verdict);
    assertThat(miner.protocol().label()).isEqualTo(protocol);
    assertThat(miner.peers().stream().map(Object::toString).toList()).containsExactly(pool);
    assertThat(miner.flows()).isEqualTo(1);
    if (records.isEmpty()) {
      // Too short for the records' shape: the packets' finding alone, whatever came last.
      assertThat(sources).isEqualTo("packets");
      assertThat(counts(miner)).isEqualTo(counts(packets));
      return;
    }
    // One connection, seen twice: counted once, with the larger of the two byte counts.
    assertThat(records).as("the flow records alone").hasSize(1);
    assertThat(records.get(0).source()).isEqualTo("nfdump");
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

  /** What the order of the inputs must not change. */
  private static List<Object> counts(Finding f) {
    return List.of(
        f.verdict(), f.protocol(), f.source(), f.flows(), f.bytes(), f.firstSeen(), f.lastSeen());
  }

  private static List<Finding> miners(List<Finding> findings) {
    return findings.stream().filter(f -> f.role() == Role.MINER).toList();
  }
}
