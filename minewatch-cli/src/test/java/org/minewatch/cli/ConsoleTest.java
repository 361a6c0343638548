package org.minewatch.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.minewatch.testkit.MiningSessions;
import org.minewatch.testkit.PcapWriter;
import org.minewatch.testkit.TrafficBuilder;

/** Runs each test with stdout and stderr captured, as the commands print to them. */
abstract class ConsoleTest {
  protected final ByteArrayOutputStream out = new ByteArrayOutputStream();
  protected final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream savedOut;
  private PrintStream savedErr;

  @BeforeEach
  void captureConsole() {
    savedOut = System.out;
    savedErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreConsole() {
    System.setOut(savedOut);
    System.setErr(savedErr);
  }

  /** The options that let a command probe loopback, quickly, remembering in {@code state}. */
  static java.util.List<String> probeOnLoopback(Path state) {
    return java.util.List.of(
        "--probe",
        "--probe-allow",
        "127.0.0.0/8",
        "--probe-spacing",
        "0.1",
        "--probe-state",
        state.toString());
  }

  protected String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  protected String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /**
   * One XMRig session of host 10.9.0.5 with pool 198.51.100.9:3333, written as a capture to {@code
   * file}.
   */
  static Path writeXmrigCapture(Path file, PcapWriter.Link link, boolean nanos) throws IOException {
    TrafficBuilder t = new TrafficBuilder(Instant.parse("2021-09-24T10:00:00Z"));
    MiningSessions.xmrig(
            t,
            "10.9.0.5",
            41000,
            "198.51.100.9",
            3333,
            "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A.box1",
            "XMRig/6.16.4",
            1,
            new Random(1))
        .fin();
    PcapWriter.write(file, PcapWriter.pcap(t.frames(), link, ByteOrder.LITTLE_ENDIAN, nanos));
    return file;
  }
}
