package org.minewatch.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.estimate.PowerModel;
import org.minewatch.evidence.Finding;
import org.minewatch.flow.FlowTable;
import org.minewatch.intel.BlockList;
import org.minewatch.intel.PoolCatalogue;
import org.minewatch.model.Role;
import org.minewatch.model.Verdict;
import org.minewatch.testkit.SampleCaptures;

/**
 * Flow exports made by real exporters (softflowd into nfcapd/nfdump, and softflowd's IPFIX; see
 * resources/flowrecord/README.md) from the sample capture find the miners the packet scan finds,
 * once the pools that scan saw are imported as a block list.
 */
class FlowRecordScanTest {
  @TempDir Path dir;

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(FlowRecordScanTest.class.getResource("/flowrecord/" + name).toURI());
  }

  /** The pools the packet scan of the sample found, as a block list would carry them. */
  private PoolCatalogue catalogueWithSamplePools(List<Finding> packetFindings) throws Exception {
    String list =
        packetFindings.stream()
            .filter(f -> f.role() == Role.POOL && f.verdict() == Verdict.MINING)
            .map(f -> f.host().toString())
            .collect(Collectors.joining("\n"));
    PoolCatalogue catalogue = PoolCatalogue.defaults();
    catalogue.addListed(BlockList.read(new StringReader(list), "pools"));
    return catalogue;
  }

  private Fixtures.Scan scan(PoolCatalogue catalogue, Path... paths) {
    List<String> problems = new ArrayList<>();
    Scanner.Result r =
        new Scanner(problems::add, FlowTable.DEFAULT_MAX_FLOWS, PowerModel.defaults(), catalogue)
            .scan(Arrays.asList(paths));
    return new Fixtures.Scan(r, problems);
  }

  private static Set<String> miners(List<Finding> findings) {
    return findings.stream()
        .filter(f -> f.role() == Role.MINER)
        .map(f -> f.host().toString())
        .collect(Collectors.toSet());
  }

  @Test
  void nfdumpCsvAndIpfixFileFindTheMinersThePacketScanFinds() throws Exception {
    List<Finding> packets = Fixtures.scan(dir, SampleCaptures.campus()).findings();
    PoolCatalogue catalogue = catalogueWithSamplePools(packets);

    for (String file : List.of("campus-mining.nfdump.csv", "campus-mining.ipfix")) {
      Fixtures.Scan s = scan(catalogue, resource(file));
      assertThat(s.problems()).isEmpty();
      assertThat(miners(s.findings()))
          .as(file)
          .isEqualTo(miners(packets))
          .containsExactlyInAnyOrder("10.20.1.15", "10.20.7.33", "192.168.40.9");
      assertThat(s.findings()).allMatch(f -> f.verdict() == Verdict.SUSPECT);
      assertThat(s.result().stats().flowRecords()).isEqualTo(12);
    }

    // Each connection was exported as two one-way records: paired, they count once, with both
    // directions' bytes.
    Fixtures.Scan csv = scan(catalogue, resource("campus-mining.nfdump.csv"));
    Finding xmr = csv.only("10.20.1.15", Role.MINER);
    assertThat(xmr.flows()).isEqualTo(1);
    assertThat(xmr.bytes()).isEqualTo(2339 + 1526);
    assertThat(xmr.source()).isEqualTo("nfdump");
    assertThat(xmr.evidence())
        .containsExactly(
            "TCP 10.20.1.15:51522 -> 203.0.113.80:10128 at 2021-11-08T01:16:59Z "
                + "(campus-mining.nfdump.csv, flow): connection to an address on an imported block list (mining pool "
                + "203.0.113.80 (block list))");
    assertThat(
            scan(catalogue, resource("campus-mining.ipfix"))
                .only("10.20.1.15", Role.MINER)
                .source())
        .isEqualTo("ipfix");
  }

  @Test
  void withoutPoolIntelligenceFlowRecordsFindNothing() throws Exception {
    Fixtures.Scan s =
        scan(
            PoolCatalogue.defaults(),
            resource("campus-mining.nfdump.csv"),
            resource("campus-mining.ipfix"));
    assertThat(s.findings()).isEmpty();
    assertThat(s.result().stats().files()).isEqualTo(2);
  }

  @Test
  void brokenCsvLinesAreReportedWithTheirNumbersAndTheRestIsRead() throws Exception {
    List<String> lines = Files.readAllLines(resource("campus-mining.nfdump.csv"));
    List<String> broken = new ArrayList<>(lines.subList(0, 3));
    broken.add("2021-11-08 01:16:59,garbage");
    broken.add(lines.get(1).replace("2021-11-08 01:16:59,", "yesterday,"));
    broken.add(lines.get(1).replace(",TCP,", ",XTP,"));
    broken.add(lines.get(1).replace(",51522,", ",70000,"));
    broken.add(lines.get(1).replace("10.20.1.15", "10.20.1"));
    broken.addAll(lines.subList(3, lines.size()));
    Path file = dir.resolve("flows.csv");
    Files.write(file, broken);
    PoolCatalogue catalogue =
        catalogueWithSamplePools(Fixtures.scan(dir, SampleCaptures.campus()).findings());
    Fixtures.Scan s = scan(catalogue, file);
    assertThat(s.problems())
        .containsExactly(
            file + ": line 4: 2 columns where the header names 48",
            file + ": line 5: time \"yesterday\" is not yyyy-MM-dd HH:mm:ss[.fff]",
            file + ": line 6: protocol \"XTP\" is neither a name nor a number",
            file + ": line 7: port 70000 is out of range",
            file + ": line 8: not an IP address literal: 10.20.1");
    assertThat(s.result().stats().flowRecords()).isEqualTo(12);
    assertThat(miners(s.findings()))
        .containsExactlyInAnyOrder("10.20.1.15", "10.20.7.33", "192.168.40.9");
  }

  @Test
  void cutIpfixFileKeepsTheRecordsBeforeTheCutAndSaysWhere() throws Exception {
    byte[] message =
        Files.readAllBytes(resource("campus-mining.ipfix")); // one message of 872 bytes
    byte[] twice = Arrays.copyOf(message, 2 * message.length - 10);
    System.arraycopy(message, 0, twice, message.length, message.length - 10);
    Path file = dir.resolve("cut.ipfix");
    Files.write(file, twice);
    Fixtures.Scan s = scan(PoolCatalogue.defaults(), file);
    assertThat(s.problems())
        .containsExactly(file + ": byte 872: file ends inside a message of 872 bytes");
    assertThat(s.result().stats().flowRecords()).isEqualTo(12);
  }

  @Test
  void flowExportsSitBesideCapturesAndLogsInOneFolder() throws Exception {
    Files.copy(resource("campus-mining.nfdump.csv"), dir.resolve("a.csv"));
    Files.copy(resource("campus-mining.ipfix"), dir.resolve("b.dat"));
    Files.writeString(dir.resolve("c.txt"), "ts,te\nnot flows\n");
    List<Finding> packets =
        Fixtures.scan(dir.resolve("..").resolve(dir.getFileName()), SampleCaptures.campus())
            .findings();
    Fixtures.Scan s = scan(catalogueWithSamplePools(packets), dir);
    assertThat(s.result().stats().files()).isEqualTo(3); // the two exports and the fixture capture
    assertThat(s.result().stats().skippedFiles()).isEqualTo(1);
    assertThat(s.findings())
        .extracting(f -> f.host().toString(), Finding::role, Finding::verdict)
        .contains(tuple("10.20.1.15", Role.MINER, Verdict.MINING));
    assertThat(s.only("10.20.1.15", Role.MINER).source()).isEqualTo("ipfix,nfdump,packets");
  }
}
