package org.minewatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.testkit.MiningSessions;
import org.minewatch.testkit.PcapWriter;
import org.minewatch.testkit.TrafficBuilder;

/**
 * A capture through a real pipe, standard input or a FIFO gives exactly the findings of the same
 * file.
 */
class ScanStreamsTest extends ConsoleTest {
  @TempDir Path dir;

  private Path capture;
  private String fromFile;

  @BeforeEach
  void scanTheFile() throws IOException {
    TrafficBuilder t = new TrafficBuilder(Instant.parse("2021-09-24T10:00:00Z"));
    MiningSessions.xmrig(
            t,
            "10.9.0.5",
            41000,
            "198.51.100.9",
            3333,
            "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A.box1",
            "XMRig/6.16.4",
            6,
            new Random(1))
        .fin();
    capture = dir.resolve("one.pcap");
    PcapWriter.write(
        capture,
        PcapWriter.pcap(t.frames(), PcapWriter.Link.ETHERNET, ByteOrder.BIG_ENDIAN, false));
    assertThat(MineWatch.run("scan", "-q", "-f", "jsonl", capture.toString())).isZero();
    fromFile = stdout();
    out.reset();
    System.setOut(
        new java.io.PrintStream(
            out, true, java.nio.charset.StandardCharsets.UTF_8)); // scan closed it
    assertThat(fromFile).contains("\"host\":\"10.9.0.5\"").contains("\"shares\":6");
  }

  /**
   * Runs {@code scan -} with standard input connected to {@code command}'s output through a pipe.
   */
  private int scanStandardInputOf(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    InputStream saved = System.in;
    try (InputStream pipe = p.getInputStream()) {
      System.setIn(pipe);
      return MineWatch.run("scan", "-q", "-f", "jsonl", "-");
    } finally {
      System.setIn(saved);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void standardInputFromAPipeGivesTheFilesFindings() throws Exception {
    assertThat(scanStandardInputOf("cat", capture.toString())).isZero();
    assertThat(stdout()).isEqualTo(fromFile);
    assertThat(stderr()).isEmpty();
  }

  @Test
  void aGzipStreamIsRecognisedWithoutSeeking() throws Exception {
    assertThat(scanStandardInputOf("gzip", "-c", capture.toString())).isZero();
    assertThat(stdout()).isEqualTo(fromFile);
  }

  @Test
  void aFifoIsReadAsAStream() throws Exception {
    Path fifo = dir.resolve("capture.fifo");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    Process writer =
        new ProcessBuilder(
                "sh", "-c", "cat \"$1\" > \"$2\"", "sh", capture.toString(), fifo.toString())
            .start();
    assertThat(MineWatch.run("scan", "-q", "-f", "jsonl", fifo.toString())).isZero();
    assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(stdout()).isEqualTo(fromFile);
    assertThat(stderr()).isEmpty();
  }

  @Test
  void aStreamThatIsNoCaptureIsSaidSoInOneLine() throws Exception {
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "not a capture\n");
    assertThat(scanStandardInputOf("cat", text.toString())).isEqualTo(2);
    assertThat(stderr())
        .isEqualTo(
            "minewatch: standard input: not a capture (no pcap, pcapng or gzip magic in the first "
                + "bytes); nor a flow export (IPFIX file, nfdump CSV) or a Zeek or Suricata EVE log\n"
                + "minewatch scan: no readable capture, flow export or log among the inputs\n");
  }
}
