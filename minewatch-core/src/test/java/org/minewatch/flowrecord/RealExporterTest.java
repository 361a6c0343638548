package org.minewatch.flowrecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.minewatch.evidence.EvidenceAggregator;
import org.minewatch.evidence.Finding;
import org.minewatch.intel.AddressNames;
import org.minewatch.intel.BlockList;
import org.minewatch.intel.Intel;
import org.minewatch.intel.PoolCatalogue;
import org.minewatch.logs.LogAnalyzer;
import org.minewatch.model.Role;
import org.minewatch.testkit.PcapWriter;
import org.minewatch.testkit.SampleCaptures;

/**
 * Debian's softflowd replays the sample capture as NetFlow v5, v9 and IPFIX into MineWatch's
 * collector on loopback, and into nfcapd whose files nfdump exports as CSV. {@code .ci/run}
 * installs both; elsewhere the tests skip, saying so.
 */
class RealExporterTest {
  /** The sample's pools, as the packet scan of the sample reports them. */
  private static final String POOLS = "198.51.100.23\n198.51.100.41\n203.0.113.80\n";

  private static final Set<String> MINERS = Set.of("10.20.1.15", "10.20.7.33", "192.168.40.9");

  @TempDir Path dir;

  private static boolean installed(String program) {
    return Stream.of(System.getenv("PATH").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
  }

  private Path sampleCapture() throws IOException {
    Path file = dir.resolve("campus.pcap");
    Files.write(
        file,
        PcapWriter.pcap(
            SampleCaptures.campus(), PcapWriter.Link.ETHERNET, ByteOrder.LITTLE_ENDIAN, false));
    return file;
  }

  private static Intel intel() throws IOException {
    PoolCatalogue catalogue = PoolCatalogue.defaults();
    catalogue.addListed(BlockList.read(new StringReader(POOLS), "pools"));
    return new Intel(catalogue, new AddressNames());
  }

  private static Set<String> miners(List<Finding> findings) {
    return findings.stream()
        .filter(f -> f.role() == Role.MINER)
        .map(f -> f.host().toString())
        .collect(Collectors.toSet());
  }

  @ParameterizedTest(name = "NetFlow version {0}")
  @ValueSource(strings = {"5", "9", "10"})
  void softflowdIntoTheCollectorFindsTheSamplesMiners(String version) throws Exception {
    assumeTrue(
        installed("softflowd"), "softflowd is not installed (apt-get install softflowd); skipped");
    Path capture = sampleCapture();
    Intel intel = intel();
    EvidenceAggregator aggregator = new EvidenceAggregator(n -> null);
    FlowRecordAnalyzer flows =
        new FlowRecordAnalyzer(intel, new LogAnalyzer(intel, aggregator, "collector"));
    ExportDecoder decoder = new ExportDecoder();
    List<String> problems = new ArrayList<>();
    try (UdpCollector collector = new UdpCollector(new InetSocketAddress("127.0.0.1", 0))) {
      Thread receiver =
          new Thread(
              () -> {
                try {
                  collector.run(decoder, flows::record, problems::add, () -> {}, 100);
                } catch (IOException e) {
                  problems.add(e.toString());
                }
              });
      receiver.start();
      org.minewatch.testkit.exporters.NfdumpExport.softflowd(
          capture, collector.localAddress().getPort(), version, dir);
      // The datagrams are on loopback already; give the receiver a moment to take them.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (decoder.records() < 12 && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      collector.close();
      receiver.join(5_000);
    }
    flows.finish();
    assertThat(problems).isEmpty();
    assertThat(decoder.records()).isEqualTo(12); // 6 connections, one record per direction
    assertThat(decoder.lostRecords() + decoder.lostMessages() + decoder.unknownTemplateSets())
        .isZero();
    List<Finding> findings = aggregator.findings();
    assertThat(miners(findings)).isEqualTo(MINERS);
    assertThat(findings).filteredOn(f -> f.role() == Role.MINER).allMatch(f -> f.flows() == 1);
  }

  @Test
  void softflowdIntoNfcapdThenNfdumpCsvFindsTheSamplesMiners() throws Exception {
    assumeTrue(
        org.minewatch.testkit.exporters.NfdumpExport.installed(),
        "softflowd or nfdump is not installed (apt-get install softflowd nfdump); skipped");
    Path csv = org.minewatch.testkit.exporters.NfdumpExport.csvOf(sampleCapture(), dir);
    assertThat(csv).as("nfcapd wrote a file").isNotNull();
    Files.copy(csv, dir.resolve("flows.csv"));

    Intel intel = intel();
    EvidenceAggregator aggregator = new EvidenceAggregator(n -> null);
    FlowRecordAnalyzer flows =
        new FlowRecordAnalyzer(intel, new LogAnalyzer(intel, aggregator, "flows.csv"));
    List<String> problems = new ArrayList<>();
    try (var in = Files.newBufferedReader(dir.resolve("flows.csv"))) {
      assertThat(NfdumpCsv.read("flows.csv", in, flows::record, problems::add)).isEqualTo(12);
    }
    flows.finish();
    assertThat(problems).isEmpty();
    assertThat(miners(aggregator.findings())).isEqualTo(MINERS);
  }
}
