package org.minewatch.cli.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  @TempDir Path dir;

  private static List<String> contents(Spool spool) throws Exception {
    List<String> all = new ArrayList<>();
    for (Spool.Batch b : spool.pending()) {
      all.addAll(Findings.of(b.body()));
    }
    return all;
  }

  @Test
  void batchesHoldAtMost500LinesAnd1MiBInTheOrderAppended() throws Exception {
    try (Spool spool = Spool.open(dir)) {
      List<String> lines = Findings.lines(1, 1201);
      assertThat(spool.append(lines)).isEqualTo(3);
      String big =
          "{\"host\":\"10.2.0.1\",\"role\":\"miner\",\"pad\":\"" + "x".repeat(400 * 1024) + "\"}";
      String huge =
          "{\"host\":\"10.2.0.2\",\"role\":\"miner\",\"pad\":\"" + "y".repeat(1536 * 1024) + "\"}";
      assertThat(spool.append(List.of(big, big, big)))
          .isEqualTo(2); // 2 × 400 KiB fit in 1 MiB, 3 do not
      assertThat(spool.append(List.of(huge)))
          .isEqualTo(1); // a line longer than a batch is a batch of its own
      List<Spool.Batch> pending = spool.pending();
      assertThat(pending)
          .extracting(Spool.Batch::name)
          .containsExactly(
              "00000000000000000001",
              "00000000000000000002",
              "00000000000000000003",
              "00000000000000000004",
              "00000000000000000005",
              "00000000000000000006");
      List<Integer> sizes = new ArrayList<>();
      for (Spool.Batch b : pending) {
        sizes.add(Spool.lines(b.body()));
      }
      assertThat(sizes).containsExactly(500, 500, 201, 2, 1, 1);
      List<String> expected = new ArrayList<>(lines);
      expected.addAll(List.of(big, big, big, huge));
      assertThat(contents(spool)).isEqualTo(expected);
      assertThat(spool.backlog()).isEqualTo(new Spool.Backlog(6, 1205));
    }
  }

  @Test
  void batchesOutliveTheProcessAndNumberingGoesOnAfterThem() throws Exception {
    try (Spool spool = Spool.open(dir)) {
      spool.append(Findings.lines(1, 3));
      spool.append(Findings.lines(2, 3));
      spool.acknowledge(spool.pending().get(0));
    }
    // A batch a dying process was writing: never complete, never sent.
    Files.writeString(dir.resolve("pending/00000000000000000003.jsonl.tmp"), "{\"host\":");
    try (Spool spool = Spool.open(dir)) {
      assertThat(contents(spool)).isEqualTo(Findings.lines(2, 3));
      spool.append(Findings.lines(3, 1));
      assertThat(spool.pending())
          .extracting(Spool.Batch::name)
          .containsExactly("00000000000000000002", "00000000000000000003");
      assertThat(dir.resolve("pending/00000000000000000003.jsonl.tmp")).doesNotExist();
    }
  }

  @Test
  void aSplitBatchKeepsItsPlaceInTwoHalves() throws Exception {
    try (Spool spool = Spool.open(dir)) {
      spool.append(Findings.lines(1, 5));
      spool.append(Findings.lines(2, 1));
      spool.split(spool.pending().get(0));
      assertThat(spool.pending())
          .extracting(Spool.Batch::name)
          .containsExactly(
              "00000000000000000001-0", "00000000000000000001-1", "00000000000000000002");
      spool.split(spool.pending().get(1));
      assertThat(spool.pending())
          .extracting(Spool.Batch::name)
          .containsExactly(
              "00000000000000000001-0",
              "00000000000000000001-10",
              "00000000000000000001-11",
              "00000000000000000002");
      List<String> expected = new ArrayList<>(Findings.lines(1, 5));
      expected.addAll(Findings.lines(2, 1));
      assertThat(contents(spool)).isEqualTo(expected);
      assertThatThrownBy(() -> spool.split(spool.pending().get(3)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aRejectedBatchIsKeptWithTheReasonAndLeavesThePending() throws Exception {
    try (Spool spool = Spool.open(dir)) {
      spool.append(Findings.lines(1, 2));
      Path kept = spool.reject(spool.pending().get(0), "line 2: malformed JSON");
      assertThat(kept).isEqualTo(dir.resolve("rejected/00000000000000000001.jsonl"));
      assertThat(Files.readAllLines(kept)).isEqualTo(Findings.lines(1, 2));
      assertThat(Files.readString(dir.resolve("rejected/00000000000000000001.reason")))
          .isEqualTo("line 2: malformed JSON\n");
      assertThat(spool.pending()).isEmpty();
    }
    try (Spool spool = Spool.open(dir)) { // numbering goes on after the rejected batch too
      spool.append(Findings.lines(2, 1));
      assertThat(spool.pending())
          .extracting(Spool.Batch::name)
          .containsExactly("00000000000000000002");
    }
  }

  @Test
  void theLockRefusesASecondUserInThisProcessUntilReleased() throws Exception {
    try (Spool first = Spool.open(dir)) {
      assertThatThrownBy(() -> Spool.open(dir))
          .isInstanceOf(Spool.LockedException.class)
          .hasMessage(
              "spool "
                  + dir
                  + " is in use by another minewatch process (process "
                  + ProcessHandle.current().pid()
                  + "); wait for it to end or give this one another --spool DIR");
    }
    try (Spool again = Spool.open(dir)) {
      assertThat(again.pending()).isEmpty();
    }
  }

  @Test
  void theLockRefusesAnotherProcess() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    try (Spool held = Spool.open(dir)) {
      held.append(Findings.lines(1, 1));
      Process p =
          new ProcessBuilder(
                  java.toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  "org.minewatch.cli.MineWatch",
                  "push",
                  "--server",
                  "http://127.0.0.1:9",
                  "--token",
                  "t",
                  "--spool",
                  dir.toString())
              .redirectErrorStream(true)
              .start();
      String output;
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        output = String.join("\n", r.lines().toList());
      }
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(output).isEqualTo(2);
      assertThat(output)
          .isEqualTo(
              "minewatch push: spool "
                  + dir
                  + " is in use by another minewatch process (process "
                  + ProcessHandle.current().pid()
                  + "); wait for it to end or give this one another --spool DIR");
      assertThat(held.backlog()).isEqualTo(new Spool.Backlog(1, 1)); // untouched
    }
  }
}
