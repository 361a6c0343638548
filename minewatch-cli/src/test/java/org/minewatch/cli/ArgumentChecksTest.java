package org.minewatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.io.Inputs;
import org.minewatch.testkit.PcapWriter;

/**
 * Unusable arguments are refused before any work, in one line naming the option; write failures
 * too.
 */
class ArgumentChecksTest extends ConsoleTest {
  @TempDir Path dir;

  private Path capture;

  @BeforeEach
  void writeCapture() throws IOException {
    capture = writeXmrigCapture(dir.resolve("one.pcap"), PcapWriter.Link.ETHERNET, false);
  }

  @Test
  void threadsOutOfRangeAreRefusedAndAnyCountInRangeFindsTheSame() {
    assertThat(MineWatch.run("scan", "--threads", "0", capture.toString())).isEqualTo(2);
    assertThat(MineWatch.run("scan", "--threads", "65", capture.toString())).isEqualTo(2);
    assertThat(stderr())
        .isEqualTo(
            "minewatch scan: --threads 0 is out of range: it must be 1 to 64 threads\n"
                + "minewatch scan: --threads 65 is out of range: it must be 1 to 64 threads\n");
    assertThat(stdout()).isEmpty();
    assertThat(MineWatch.run("scan", "-q", "-f", "jsonl", "--threads", "1", capture.toString()))
        .isZero();
    String one = stdout();
    assertThat(one).contains("\"verdict\":\"mining\"");
    assertThat(MineWatch.run("scan", "-q", "-f", "jsonl", "--threads", "4", capture.toString()))
        .isZero();
    assertThat(stdout()).isEqualTo(one + one);
  }

  /** Before any work: no tcpdump is run, no ring opened (-i names no interface here). */
  @Test
  void ringSizeOutOfRangeIsRefusedWithTheRange() {
    assertThat(MineWatch.run("watch", "-i", "mw-no-such0", "--ring-mib", "7")).isEqualTo(2);
    assertThat(MineWatch.run("watch", "-i", "mw-no-such0", "--ring-mib", "1025")).isEqualTo(2);
    assertThat(MineWatch.run("watch", "-i", "mw-no-such0", "--ring-mib", "99999999999"))
        .isEqualTo(2);
    assertThat(
            MineWatch.run(
                "watch", "-i", "mw-no-such0", "--capture", "tcpdump", "--ring-mib", "128"))
        .isEqualTo(2);
    assertThat(stderr())
        .isEqualTo(
            "minewatch watch: --ring-mib 7 is out of range: it must be 8 to 1,024 MiB\n"
                + "minewatch watch: --ring-mib 1025 is out of range: it must be 8 to 1,024 MiB\n"
                + "minewatch watch: --ring-mib 99999999999 is out of range: it must be 8 to 1,024 MiB\n"
                + "minewatch watch: --ring-mib sizes the kernel's ring: use --capture auto or ring "
                + "(tcpdump's kernel buffer is 64 MiB)\n");
    assertThat(stdout()).isEmpty();
  }

  @Test
  void maxFlowsOutOfRangeIsRefusedWithTheRange() {
    assertThat(MineWatch.run("scan", "--max-flows", "536870913", capture.toString())).isEqualTo(2);
    assertThat(MineWatch.run("scan", "--max-flows", "0", capture.toString())).isEqualTo(2);
    assertThat(MineWatch.run("scan", "--max-flows", "99999999999", capture.toString()))
        .isEqualTo(2);
    assertThat(MineWatch.run("watch", "-i", "lo", "--max-flows", "-1")).isEqualTo(2);
    assertThat(stderr())
        .isEqualTo(
            "minewatch scan: --max-flows 536870913 is out of range: it must be 1 to 16,777,216 flows\n"
                + "minewatch scan: --max-flows 0 is out of range: it must be 1 to 16,777,216 flows\n"
                + "minewatch scan: --max-flows 99999999999 is out of range: it must be 1 to 16,777,216 flows\n"
                + "minewatch watch: --max-flows -1 is out of range: it must be 1 to 16,777,216 flows\n");
    assertThat(stdout()).isEmpty();
  }

  @Test
  void anOutputThatCannotBeWrittenIsRefusedBeforeScanning() throws IOException {
    Path missing = dir.resolve("no-such-dir").resolve("out.jsonl");
    assertThat(MineWatch.run("scan", "-o", missing.toString(), capture.toString())).isEqualTo(2);
    assertThat(MineWatch.run("scan", "-o", dir.toString(), capture.toString())).isEqualTo(2);
    Path file = dir.resolve("plain");
    Files.writeString(file, "x");
    assertThat(MineWatch.run("report", "-o", file.resolve("r.html").toString(), capture.toString()))
        .isEqualTo(2);
    // No summary line: nothing was scanned.
    assertThat(stderr())
        .isEqualTo(
            "minewatch scan: --output "
                + missing
                + ": the directory "
                + missing.getParent()
                + " does not exist\n"
                + "minewatch scan: --output "
                + dir
                + ": is a directory\n"
                + "minewatch report: --output "
                + file.resolve("r.html")
                + ": "
                + file
                + " is not a directory\n");
  }

  @Test
  void aStandardOutputThatFailsIsOneLineAndExit1() throws IOException {
    assumeTrue(Files.isWritable(Path.of("/dev/full")), "no /dev/full here; skipped");
    java.io.PrintStream saved = System.out;
    try (java.io.PrintStream full =
        new java.io.PrintStream(new java.io.FileOutputStream("/dev/full"), false, "UTF-8")) {
      System.setOut(full);
      assertThat(MineWatch.run("scan", "-q", "-f", "jsonl", capture.toString())).isEqualTo(1);
    } finally {
      System.setOut(saved);
    }
    assertThat(stderr())
        .isEqualTo("minewatch scan: standard output: cannot write: a closed pipe or a full disk\n");
  }

  @Test
  void aFullDiskIsOneLineAndExit1() throws IOException {
    assumeTrue(Files.isWritable(Path.of("/dev/full")), "no /dev/full here; skipped");
    assertThat(MineWatch.run("scan", "-q", "-f", "jsonl", "-o", "/dev/full", capture.toString()))
        .isEqualTo(1);
    assertThat(stderr())
        .isEqualTo("minewatch scan: --output /dev/full: cannot write: no space left on device\n");
    Path findings = dir.resolve("findings.jsonl");
    assertThat(
            MineWatch.run(
                "scan", "-q", "-f", "jsonl", "-o", findings.toString(), capture.toString()))
        .isZero();
    err.reset();
    assertThat(MineWatch.run("report", "-f", "json", "-o", "/dev/full", findings.toString()))
        .isEqualTo(1);
    assertThat(stderr())
        .isEqualTo("minewatch report: --output /dev/full: cannot write: no space left on device\n");
  }

  @Test
  void liveTimeLimitsMustBePositiveAndTheOutputWritable() {
    assertThat(MineWatch.run("collect", "--listen", "127.0.0.1:0", "--for", "-1")).isEqualTo(2);
    assertThat(MineWatch.run("collect", "--listen", "127.0.0.1:0", "--for", "0")).isEqualTo(2);
    assertThat(MineWatch.run("collect", "--listen", "127.0.0.1:0", "--stats-every", "-5"))
        .isEqualTo(2);
    assertThat(MineWatch.run("collect", "--listen", "127.0.0.1:0", "--receive-buffer", "4096"))
        .isEqualTo(2);
    Path missing = dir.resolve("gone").resolve("f.jsonl");
    assertThat(
            MineWatch.run(
                "collect", "--listen", "127.0.0.1:0", "--for", "60", "-o", missing.toString()))
        .isEqualTo(2);
    // Refused before listening: no "listening" line, and at once rather than after --for.
    assertThat(stderr())
        .isEqualTo(
            "minewatch collect: --for -1 is out of range: it must be 1 to 31,536,000 seconds\n"
                + "minewatch collect: --for 0 is out of range: it must be 1 to 31,536,000 seconds\n"
                + "minewatch collect: --stats-every -5 is out of range: it must be 0 to 86,400 seconds (0: none)\n"
                + "minewatch collect: --receive-buffer 4096 is out of range: it must be 65,536 to 1,073,741,824 bytes\n"
                + "minewatch collect: --output "
                + missing
                + ": the directory "
                + missing.getParent()
                + " does not exist\n");
  }

  @Test
  void reportExits2WhenItReadNoFindings() throws IOException {
    Path empty = dir.resolve("empty.jsonl");
    Files.writeString(empty, "\n");
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, "{\"host\":\"10.0.0.1\",\"role\":\"wizard\",\"verdict\":\"mining\"}\n");
    assertThat(MineWatch.run("report", "-f", "json", empty.toString(), bad.toString()))
        .isEqualTo(2);
    assertThat(stderr())
        .isEqualTo(
            "minewatch: "
                + bad
                + ":1: field \"role\": expected one of miner, node, pool, got "
                + "\"wizard\"\nminewatch report: no findings read from the inputs; no report written\n");
    assertThat(stdout()).isEmpty();
  }

  @Test
  void anUnreadableInputIsNamedWithTheReasonInWords() throws IOException {
    assertThat(Inputs.reason(new AccessDeniedException("/x/y.pcap")))
        .isEqualTo("permission denied");
    assumeTrue(
        !"root".equals(System.getProperty("user.name")),
        "root reads any file; the rest is skipped");
    Path locked = dir.resolve("locked.pcap");
    Files.copy(capture, locked);
    assertThat(locked.toFile().setReadable(false, false)).isTrue();
    assertThat(MineWatch.run("scan", "-q", locked.toString(), capture.toString())).isZero();
    assertThat(stderr())
        .isEqualTo("minewatch: " + locked + ": cannot be read: permission denied\n");
  }
}
