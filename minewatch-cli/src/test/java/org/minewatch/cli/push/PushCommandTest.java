package org.minewatch.cli.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code minewatch push} against a stand-in server. */
class PushCommandTest {
  @TempDir Path dir;

  private final Receiver receiver;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  PushCommandTest() throws IOException {
    receiver = new Receiver();
  }

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  private int push(FakeTiming timing, String... args) {
    PushCommand command =
        new PushCommand(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            timing,
            new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new Random(3)));
    CommandLine cl = new CommandLine(command);
    cl.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
    return cl.execute(args);
  }

  private int push(String... args) {
    return push(new FakeTiming(), args);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private List<String> args(String... more) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--server",
                receiver.url(),
                "--token",
                Receiver.TOKEN,
                "--spool",
                dir.resolve("spool").toString()));
    a.addAll(List.of(more));
    return a;
  }

  @Test
  void pushesAFileInBatchesAndPrintsTheServersCounts() throws Exception {
    receiver.start();
    List<String> lines = Findings.lines(1, 1201);
    Path file = dir.resolve("findings.jsonl");
    Files.write(file, lines);
    Files.writeString(
        file, "\n", java.nio.file.StandardOpenOption.APPEND); // a blank line is no finding
    assertThat(push(args(file.toString()).toArray(String[]::new))).isZero();
    assertThat(stdout())
        .isEqualTo(
            file
                + ": 1,201 findings sent in 3 batches: received 1,201, created 1,201, "
                + "updated 0, unchanged 0\n");
    assertThat(stderr()).isEmpty();
    assertThat(receiver.requests())
        .extracting(q -> q.lines().size())
        .containsExactly(500, 500, 201);
    assertThat(receiver.requests())
        .allSatisfy(q -> assertThat(q.authorization()).isEqualTo("Bearer s3cret"));
    assertThat(receiver.accepted()).isEqualTo(lines);

    // Again, with one finding changed: the server's idempotent ingest stores nothing twice.
    lines.set(7, lines.get(7).replace("\"verdict\":\"mining\"", "\"verdict\":\"likely\""));
    Path second = dir.resolve("second.jsonl");
    Files.write(second, lines);
    out.reset();
    assertThat(push(args(file.toString(), second.toString()).toArray(String[]::new))).isZero();
    assertThat(stdout())
        .isEqualTo(
            file
                + ": 1,201 findings sent in 3 batches: received 1,201, created 0, updated 0, "
                + "unchanged 1,201\n"
                + second
                + ": 1,201 findings sent in 3 batches: received 1,201, created 0, updated 1, unchanged 1,200\n"
                + "total: 2,402 findings sent in 6 batches: received 2,402, created 0, updated 1, unchanged 2,401\n");
  }

  @Test
  void aRefusedLineIsReportedWithItsFileAndLineAndTheOtherBatchesArrive() throws Exception {
    receiver.start();
    List<String> lines = new ArrayList<>(Findings.lines(1, 1200));
    lines.add(0, ""); // line numbers count blank lines too
    lines.set(700, "{\"host\":\"10.9.9.9\"}");
    Path file = dir.resolve("findings.jsonl");
    Files.write(file, lines);
    assertThat(push(args(file.toString()).toArray(String[]::new))).isEqualTo(1);
    assertThat(stderr())
        .isEqualTo(
            "minewatch push: "
                + file
                + ": line 701: a finding needs host and role (the server "
                + "refused the batch of lines 502-1001: none of them is stored; fix the line and push the file again)\n");
    assertThat(stdout())
        .isEqualTo(
            file
                + ": 700 findings sent in 2 batches: received 700, created 700, updated 0, "
                + "unchanged 0; 500 lines refused (see above)\n");
    List<String> expected = new ArrayList<>(lines.subList(1, 501));
    expected.addAll(lines.subList(1001, 1201));
    assertThat(receiver.accepted()).isEqualTo(expected);
  }

  @Test
  void aServerAwayLongerThanRetryForEndsWithStatus2() throws Exception {
    Path file = dir.resolve("findings.jsonl");
    Files.write(file, Findings.lines(1, 3));
    FakeTiming timing = new FakeTiming();
    assertThat(push(timing, args("--retry-for", "5s", file.toString()).toArray(String[]::new)))
        .isEqualTo(2);
    assertThat(timing.pauses().stream().mapToLong(Long::longValue).sum()).isEqualTo(5_000_000_000L);
    assertThat(stdout())
        .isEqualTo(
            file
                + ": 0 findings sent in 0 batches: received 0, created 0, updated 0, "
                + "unchanged 0; not sent from line 1 on\n");
    assertThat(stderr())
        .contains(
            "minewatch push: "
                + file
                + ": not sent from line 1 on: the server has been "
                + "unreachable for 5 s (cannot connect to 127.0.0.1:");
  }

  @Test
  void theServerComingBackInTimeGetsTheFileOnce() throws Exception {
    Path file = dir.resolve("findings.jsonl");
    List<String> lines = Findings.lines(1, 600);
    Files.write(file, lines);
    FakeTiming timing =
        new FakeTiming(
            n -> {
              if (n == 2) {
                try {
                  receiver.start();
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }
            });
    assertThat(push(timing, args(file.toString()).toArray(String[]::new))).isZero();
    assertThat(receiver.accepted()).isEqualTo(lines);
    assertThat(stdout())
        .isEqualTo(
            file
                + ": 600 findings sent in 2 batches: received 600, created 600, updated 0, "
                + "unchanged 0\n");
  }

  @Test
  void aRefusedTokenEndsWithStatus2() throws Exception {
    receiver.start();
    Path file = dir.resolve("findings.jsonl");
    Files.write(file, Findings.lines(1, 3));
    assertThat(push("--server", receiver.url(), "--token", "wrong", file.toString())).isEqualTo(2);
    assertThat(stderr())
        .isEqualTo(
            "minewatch push: "
                + file
                + ": not sent from line 1 on: the server does not accept "
                + "the token (401): bad or missing token\n");
  }

  @Test
  void unusableArgumentsEndWithStatus2() throws Exception {
    Path file = dir.resolve("findings.jsonl");
    Files.write(file, Findings.lines(1, 3));
    assertThat(push("--token", "t", file.toString())).isEqualTo(2);
    assertThat(stderr()).isEqualTo("minewatch push: --server URL is required\n");
    err.reset();
    assertThat(push("--server", "ftp://example.org", "--token", "t", file.toString())).isEqualTo(2);
    assertThat(stderr())
        .isEqualTo(
            "minewatch push: --server ftp://example.org: expected http(s)://HOST[:PORT][/PATH]\n");
    err.reset();
    assertThat(
            push(
                "--server",
                receiver.url(),
                "--token",
                "t",
                dir.resolve("missing.jsonl").toString()))
        .isEqualTo(2);
    assertThat(stderr())
        .isEqualTo("minewatch push: " + dir.resolve("missing.jsonl") + ": no such readable file\n");
    err.reset();
    assertThat(
            push(
                "--server", receiver.url(), "--token", "t", "--retry-for", "soon", file.toString()))
        .isEqualTo(2);
    assertThat(stderr())
        .startsWith("Invalid value for option '--retry-for': 'soon' is not a duration");
    err.reset();
    assertThat(
            push(
                "--server",
                receiver.url(),
                "--token",
                "t",
                "--spool",
                dir.resolve("none").toString()))
        .isEqualTo(2);
    assertThat(stderr())
        .isEqualTo(
            "minewatch push: nothing to send: no FILE, and no spool at "
                + dir.resolve("none")
                + "\n");
    assumeTrue(System.getenv("MINEWATCH_TOKEN") == null, "MINEWATCH_TOKEN is set here");
    err.reset();
    assertThat(push("--server", receiver.url(), file.toString())).isEqualTo(2);
    assertThat(stderr())
        .isEqualTo(
            "minewatch push: --server needs a token: --token TOKEN, or the environment "
                + "variable MINEWATCH_TOKEN\n");
  }

  @Test
  void aSpoolInUseElsewhereDoesNotStopAPushOfFiles() throws Exception {
    receiver.start();
    Path file = dir.resolve("findings.jsonl");
    Files.write(file, Findings.lines(1, 3));
    try (Spool held = Spool.open(dir.resolve("spool"))) {
      held.append(Findings.lines(2, 1));
      assertThat(push(args(file.toString()).toArray(String[]::new))).isZero();
      assertThat(stderr())
          .isEqualTo(
              "minewatch push: warning: spool "
                  + dir.resolve("spool")
                  + " is in use by another "
                  + "minewatch process (process "
                  + ProcessHandle.current().pid()
                  + "); wait for it to end or give this one "
                  + "another --spool DIR; sending the files only\n");
      assertThat(receiver.accepted()).isEqualTo(Findings.lines(1, 3));
      assertThat(held.backlog()).isEqualTo(new Spool.Backlog(1, 1)); // left to its owner
    }
  }

  @Test
  void durations() {
    assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("90")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.show(Duration.ofSeconds(60))).isEqualTo("1 min");
    assertThat(Durations.show(Duration.ofSeconds(10))).isEqualTo("10 s");
    assertThat(Durations.show(Duration.ofMillis(1500))).isEqualTo("1.5 s");
  }
}
