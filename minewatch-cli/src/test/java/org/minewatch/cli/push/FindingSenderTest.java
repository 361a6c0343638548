package org.minewatch.cli.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.cli.push.PushClient.Counts;

/**
 * The sender against a stand-in server: outages, refusals, a crash between the server's 200 and the
 * spool's acknowledgement.
 */
class FindingSenderTest {
  private static final long SECOND = 1_000_000_000L;

  @TempDir Path dir;

  private final Receiver receiver;
  private final List<String> said = Collections.synchronizedList(new ArrayList<>());

  FindingSenderTest() throws IOException {
    receiver = new Receiver();
  }

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  private FindingSender sender(FakeTiming timing, String token) {
    return new FindingSender(
        new PushClient(URI.create(receiver.url()), token),
        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new Random(7)),
        timing,
        said::add);
  }

  private FindingSender sender(FakeTiming timing) {
    return sender(timing, Receiver.TOKEN);
  }

  private void startReceiver() {
    try {
      receiver.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void theServerDownAtTheStartGetsEverythingExactlyOnceWhenItComesUp() throws Exception {
    FakeTiming timing =
        new FakeTiming(
            n -> {
              if (n == 3) {
                startReceiver();
              }
            });
    List<String> lines = Findings.lines(1, 1201);
    try (Spool spool = Spool.open(dir)) {
      spool.append(lines);
      FindingSender.Report r = sender(timing).drain(spool, Duration.ofSeconds(60));
      assertThat(r.status()).isZero();
      assertThat(r.counts()).isEqualTo(new Counts(1201, 1201, 0, 0));
      assertThat(r.batchesSent()).isEqualTo(3);
      assertThat(r.left()).isEqualTo(new Spool.Backlog(0, 0));
    }
    assertThat(receiver.accepted()).isEqualTo(lines);
    assertThat(receiver.requests())
        .hasSize(3)
        .allSatisfy(
            q -> {
              assertThat(q.authorization()).isEqualTo("Bearer " + Receiver.TOKEN);
              assertThat(q.contentType()).isEqualTo("application/x-ndjson");
              assertThat(q.path()).isEqualTo("/api/findings");
            });
    // Back-off: 1 s, 2 s, 4 s nominal, each jittered within its upper half.
    List<Long> pauses = timing.pauses();
    assertThat(pauses).hasSize(3);
    assertThat(pauses.get(0)).isBetween(SECOND / 2, SECOND);
    assertThat(pauses.get(1)).isBetween(SECOND, 2 * SECOND);
    assertThat(pauses.get(2)).isBetween(2 * SECOND, 4 * SECOND);
    assertThat(said).hasSize(2);
    assertThat(said.get(0))
        .startsWith("cannot send findings: cannot connect to 127.0.0.1:")
        .endsWith("; retrying with back-off, findings kept in spool " + dir);
    assertThat(said.get(1)).isEqualTo("the server answers again (after 3 failed attempts)");
  }

  @Test
  void twoAnswers503ThenA200() throws Exception {
    receiver.start().script(503, 503);
    FakeTiming timing = new FakeTiming();
    List<String> lines = Findings.lines(1, 10);
    try (Spool spool = Spool.open(dir)) {
      spool.append(lines);
      FindingSender.Report r = sender(timing).drain(spool, Duration.ofSeconds(60));
      assertThat(r.counts()).isEqualTo(new Counts(10, 10, 0, 0));
      assertThat(r.status()).isZero();
    }
    assertThat(receiver.requests())
        .extracting(Receiver.Request::status)
        .containsExactly(503, 503, 200);
    assertThat(receiver.accepted()).isEqualTo(lines);
    assertThat(timing.pauses()).hasSize(2);
    assertThat(said.get(0))
        .isEqualTo(
            "cannot send findings: the server answered 503: try later; retrying with "
                + "back-off, findings kept in spool "
                + dir);
  }

  @Test
  void aRetryAfterLongerThanTheBackOffIsHonoured() throws Exception {
    receiver.start();
    FakeTiming timing = new FakeTiming();
    PushClient.Answer a = PushClient.interpret(429, "{\"error\":\"slow down\"}", "30");
    assertThat(a.kind()).isEqualTo(PushClient.Kind.RETRY);
    assertThat(a.retryAfterSeconds()).hasValue(30);
    receiver.script(429);
    try (Spool spool = Spool.open(dir)) {
      spool.append(Findings.lines(1, 1));
      sender(timing).drain(spool, Duration.ofMinutes(5));
    }
    // The stand-in sends no Retry-After: the back-off's own first delay.
    assertThat(timing.pauses())
        .singleElement()
        .satisfies(p -> assertThat(p).isBetween(SECOND / 2, SECOND));
  }

  @Test
  void aRefusedBatchGoesToRejectedWithTheReasonAndLaterBatchesStillArrive() throws Exception {
    receiver.start();
    List<String> first = Findings.lines(1, 3);
    List<String> bad =
        List.of(
            Findings.lines(2, 1).get(0),
            "{\"host\":\"10.2.0.9\",\"role\":",
            Findings.lines(2, 3).get(2));
    List<String> last = Findings.lines(3, 2);
    try (Spool spool = Spool.open(dir)) {
      spool.append(first);
      spool.append(bad);
      spool.append(last);
      FindingSender.Report r = sender(new FakeTiming()).drain(spool, Duration.ofSeconds(60));
      assertThat(r.status()).isEqualTo(1);
      assertThat(r.counts()).isEqualTo(new Counts(5, 5, 0, 0));
      assertThat(r.batchesRefused()).isEqualTo(1);
      assertThat(r.linesRefused()).isEqualTo(3);
      assertThat(r.left().batches()).isZero();
    }
    assertThat(receiver.accepted()).isEqualTo(concat(first, last));
    Path rejected = dir.resolve("rejected/00000000000000000002.jsonl");
    assertThat(Files.readAllLines(rejected)).isEqualTo(bad);
    String reason =
        "the server refused batch 00000000000000000002 (400): line 2: malformed JSON "
            + "[{\"host\":\"10.2.0.9\",\"role\":]";
    assertThat(Files.readString(dir.resolve("rejected/00000000000000000002.reason")))
        .isEqualTo(reason + "\n");
    assertThat(said)
        .containsExactly(
            reason + "; the batch (3 lines) is kept in " + rejected + " and not sent again");
    // Not retried: a new run finds nothing to send.
    try (Spool spool = Spool.open(dir)) {
      FindingSender.Report again = sender(new FakeTiming()).drain(spool, Duration.ofSeconds(60));
      assertThat(again.batchesSent()).isZero();
      assertThat(again.status()).isZero();
    }
    assertThat(receiver.requests()).hasSize(3);
  }

  @Test
  void aCrashBetweenTheServers200AndTheAcknowledgementResendsThatBatchAndNothingElse()
      throws Exception {
    receiver.start();
    List<String> a = Findings.lines(1, 4);
    List<String> b = Findings.lines(2, 4);
    List<String> c = Findings.lines(3, 4);
    Spool spool = Spool.open(dir);
    spool.append(a);
    spool.append(b);
    spool.append(c);
    FindingSender doomed = sender(new FakeTiming());
    doomed.ackHook(
        batch -> {
          if (batch.name().endsWith("2")) {
            throw new IllegalStateException(
                "killed"); // the process dies after the server took batch 2
          }
        });
    assertThatThrownBy(() -> doomed.drain(spool, Duration.ofSeconds(60))).hasMessage("killed");
    spool.close(); // what the operating system does to a dead process's lock

    try (Spool restarted = Spool.open(dir)) {
      assertThat(restarted.pending())
          .extracting(Spool.Batch::name)
          .containsExactly("00000000000000000002", "00000000000000000003");
      FindingSender.Report r = sender(new FakeTiming()).drain(restarted, Duration.ofSeconds(60));
      // Batch 2 again: the server's idempotent ingest finds it unchanged.
      assertThat(r.counts()).isEqualTo(new Counts(8, 4, 0, 4));
      assertThat(r.left().batches()).isZero();
    }
    assertThat(receiver.requests()).extracting(Receiver.Request::lines).containsExactly(a, b, b, c);
    assertThat(receiver.stored().values())
        .containsExactlyInAnyOrderElementsOf(concat(concat(a, b), c));
  }

  @Test
  void aBatchTooLargeForTheServerIsSentInHalves() throws Exception {
    receiver.start().script(413, 413);
    List<String> lines = Findings.lines(1, 500);
    try (Spool spool = Spool.open(dir)) {
      spool.append(lines);
      FindingSender.Report r = sender(new FakeTiming()).drain(spool, Duration.ofSeconds(60));
      assertThat(r.counts()).isEqualTo(new Counts(500, 500, 0, 0));
      assertThat(r.batchesSent()).isEqualTo(3);
    }
    // 500 refused as too large, then its first half (250) too: 125 + 125 + 250.
    assertThat(receiver.requests())
        .extracting(q -> q.lines().size())
        .containsExactly(500, 250, 125, 125, 250);
    assertThat(receiver.accepted()).isEqualTo(lines);
  }

  @Test
  void aRefusedTokenStopsSendingAndKeepsEverything() throws Exception {
    receiver.start();
    try (Spool spool = Spool.open(dir)) {
      spool.append(Findings.lines(1, 600));
      FindingSender.Report r =
          sender(new FakeTiming(), "wrong").drain(spool, Duration.ofSeconds(60));
      assertThat(r.status()).isEqualTo(2);
      assertThat(r.stoppedBecause())
          .isEqualTo("the server does not accept the token (401): bad or missing token");
      assertThat(r.left()).isEqualTo(new Spool.Backlog(2, 600));
      FindingSender.Report viewer =
          sender(new FakeTiming(), Receiver.VIEWER_TOKEN).drain(spool, Duration.ofSeconds(60));
      assertThat(viewer.stoppedBecause())
          .isEqualTo(
              "the token's role may not send findings (403): role viewer may "
                  + "not ingest findings");
      FindingSender.Report right = sender(new FakeTiming()).drain(spool, Duration.ofSeconds(60));
      assertThat(right.status()).isZero();
      assertThat(right.counts().created()).isEqualTo(600);
    }
    assertThat(receiver.requests())
        .extracting(Receiver.Request::status)
        .containsExactly(401, 403, 200, 200);
  }

  @Test
  void givesUpAfterRetryForAndKeepsTheBatches() throws Exception {
    FakeTiming timing = new FakeTiming();
    try (Spool spool = Spool.open(dir)) {
      spool.append(Findings.lines(1, 3));
      FindingSender.Report r = sender(timing).drain(spool, Duration.ofSeconds(10));
      assertThat(r.status()).isEqualTo(2);
      assertThat(r.left()).isEqualTo(new Spool.Backlog(1, 3));
      assertThat(r.stoppedBecause())
          .startsWith("the server has been unreachable for 10 s (cannot connect to");
    }
    // 1, 2, 4, 8 s nominal, cut to what is left of the 10 s: the last attempt comes at the limit,
    // not after it.
    List<Long> pauses = timing.pauses();
    assertThat(pauses.get(0)).isBetween(SECOND / 2, SECOND);
    assertThat(pauses.get(1)).isBetween(SECOND, 2 * SECOND);
    assertThat(pauses.stream().mapToLong(Long::longValue).sum()).isEqualTo(10 * SECOND);
    assertThat(said.get(said.size() - 1))
        .startsWith("stopped sending: the server has been unreachable for 10 s");
  }

  @Test
  void onItsOwnThreadItSendsWhatComesWhileTheServerIsAwayAndBack() throws Exception {
    FakeTiming timing =
        new FakeTiming(
            n -> {
              if (n == 2) {
                startReceiver();
              }
            });
    List<String> leftover = Findings.lines(1, 3);
    List<String> during = Findings.lines(2, 700);
    try (Spool spool = Spool.open(dir)) {
      spool.append(leftover); // what an earlier run left
      FindingSender s = sender(timing);
      s.start(spool);
      spool.append(during);
      s.wake();
      FindingSender.Report r = s.finish(Duration.ofSeconds(10));
      assertThat(r.status()).isZero();
      assertThat(r.counts()).isEqualTo(new Counts(703, 703, 0, 0));
      assertThat(s.running()).isFalse();
    }
    assertThat(receiver.accepted()).isEqualTo(concat(leftover, during));
    assertThat(timing.pauses()).hasSize(2);
  }

  @Test
  void aServerRestartedBetweenBatchesMissesNothing() throws Exception {
    receiver.start();
    List<String> lines = Findings.lines(1, 1500);
    FakeTiming timing = new FakeTiming(n -> startReceiver());
    try (Spool spool = Spool.open(dir)) {
      spool.append(lines);
      FindingSender s = sender(timing);
      s.ackHook(
          batch -> {
            if (batch.name().endsWith("1")) {
              receiver.stop(); // the server goes down right after taking the first batch
            }
          });
      FindingSender.Report r = s.drain(spool, Duration.ofSeconds(60));
      assertThat(r.counts()).isEqualTo(new Counts(1500, 1500, 0, 0));
    }
    assertThat(receiver.accepted()).isEqualTo(lines);
    assertThat(timing.pauses()).hasSize(1);
  }

  @Test
  void aWakeUpEndsTheRealPauseThatFollowsIt() {
    Timing real = Timing.system();
    real.wakeUp(); // the stop came just before the sender paused: the pause must not be slept
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        Duration.ofSeconds(30), () -> real.pause(3600 * SECOND));
  }
}
