package org.minewatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.testkit.PcapWriter;
import org.minewatch.testkit.TrafficBuilder;

class IntelCommandTest extends ConsoleTest {
  @TempDir Path dir;

  @Test
  void importedListsAreStoredNormalisedAndUsedByScan() throws Exception {
    Path list = dir.resolve("miners.txt");
    Files.writeString(
        list, "# a hosts file\n0.0.0.0 Pool.Example.NET\n198.51.100.200\nthis is bad\n");
    Path intel = dir.resolve("intel");
    assertThat(MineWatch.run("intel", "import", "--dir", intel.toString(), list.toString()))
        .isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).strip())
        .isEqualTo(intel.resolve("miners.list") + ": 1 domains, 1 addresses, 1 lines skipped");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains(
            "minewatch intel import: "
                + list
                + ": line 4: a hosts-file line must start with an address: this is bad");
    assertThat(Files.readAllLines(intel.resolve("miners.list")))
        .filteredOn(l -> !l.startsWith("#"))
        .containsExactly("pool.example.net", "198.51.100.200");

    // A TLS connection to the listed address is then suspect, naming the list.
    TrafficBuilder t = new TrafficBuilder(Instant.parse("2022-01-01T00:00:00Z"));
    t.tcp("10.8.0.2", 40000, "198.51.100.200", 443)
        .handshake()
        .send(
            true,
            new byte[] {
              0x16, 0x03, 0x01, 0x00, 0x2d, 0x01, 0x00, 0x00, 0x29, 0x03, 0x03, 1, 2, 3, 4, 5, 6, 7,
              8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
              30, 31, 32, 0, 0, 2, 0x13, 0x01, 1, 0
            });
    Path capture = dir.resolve("tls.pcap");
    PcapWriter.write(
        capture,
        PcapWriter.pcap(t.frames(), PcapWriter.Link.ETHERNET, ByteOrder.LITTLE_ENDIAN, false));
    out.reset();
    assertThat(
            MineWatch.run(
                "scan", "-q", "-f", "csv", "--intel-dir", intel.toString(), capture.toString()))
        .isZero();
    List<String> rows = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(rows).hasSize(3);
    assertThat(rows.get(1)).startsWith("10.8.0.2,miner,suspect,,,198.51.100.200:443,");
    assertThat(rows.get(1)).contains(",198.51.100.200 (block list),");
  }
}
