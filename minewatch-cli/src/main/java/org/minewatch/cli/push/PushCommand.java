package org.minewatch.cli.push;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.minewatch.cli.push.PushClient.Answer;
import org.minewatch.cli.push.PushClient.Counts;
import org.minewatch.cli.push.PushClient.Kind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code minewatch push FILE... --server URL}: sends files of findings (JSON lines) to a MineWatch
 * server.
 */
@Command(
    name = "push",
    mixinStandardHelpOptions = true,
    description = {
      "Sends findings (JSON lines, as 'minewatch scan -f jsonl' writes them) to a MineWatch server, in "
          + "batches of at most 500 lines or 1 MiB, retrying while the server is away. What an earlier command left "
          + "in the spool is sent first; without FILE, push sends only that.",
      "The server's ingest is idempotent: pushing a file again stores nothing twice.",
      "Exit status: 0 when the server took everything, 1 when it refused lines (each reported with its file and "
          + "line; a refused batch is stored not at all), 2 for unusable arguments, a refused token, or a server "
          + "still unreachable after --retry-for."
    })
public final class PushCommand implements Callable<Integer> {
  private static final Duration DEFAULT_RETRY_FOR = Duration.ofSeconds(60);

  @Parameters(
      arity = "0..*",
      paramLabel = "FILE",
      description = "Files of findings as JSON lines; blank lines are " + "skipped.")
  List<Path> files = new ArrayList<>();

  @Mixin ServerOptions server = new ServerOptions();

  private final PrintStream out;
  private final PrintStream err;
  private final Timing timing;
  private final Backoff backoff;
  private FindingSender sender;

  public PushCommand() {
    this(System.out, System.err, Timing.system(), Backoff.standard());
  }

  PushCommand(PrintStream out, PrintStream err, Timing timing, Backoff backoff) {
    this.out = out;
    this.err = err;
    this.timing = timing;
    this.backoff = backoff;
  }

  /** One line of a file, with its number there. */
  private record Line(long number, byte[] bytes) {}

  /** What happened to one file. */
  private static final class Tally {
    Counts counts = Counts.ZERO;
    long lines;
    long batches;
    long refusedLines;
    long stoppedAt; // the first line not sent, if sending stopped
    String stoppedBecause;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (!server.enabled()) {
      err.println("minewatch push: --server URL is required");
      return 2;
    }
    if (server.problem() != null) {
      err.println("minewatch push: " + server.problem());
      return 2;
    }
    for (Path f : files) {
      if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
        err.println(
            "minewatch push: "
                + f
                + ": "
                + (Files.isDirectory(f)
                    ? "a directory, not a file of findings"
                    : "no such readable file"));
        return 2;
      }
    }
    sender =
        new FindingSender(
            new PushClient(server.serverUri(), server.token()),
            backoff,
            timing,
            m -> err.println("minewatch: " + m));
    Duration retryFor = server.retryFor(DEFAULT_RETRY_FOR);
    int status = 0;
    Counts total = Counts.ZERO;
    long totalLines = 0;
    long totalBatches = 0;
    int sources = 0;

    // First what earlier runs left in the spool (if there is one to look at).
    Path dir = server.spoolDirectory();
    if (Files.isDirectory(dir)) {
      Spool spool = server.openSpool("push", err, !files.isEmpty());
      if (spool == null && files.isEmpty()) {
        return 2;
      }
      if (spool != null) {
        try (spool) {
          FindingSender.Report r = sender.drain(spool, retryFor);
          if (r.batchesSent() > 0 || r.batchesRefused() > 0 || r.left().batches() > 0) {
            sources++;
            out.println(
                "spool "
                    + dir
                    + ": "
                    + FindingSender.describe(r.linesSent(), r.batchesSent(), r.counts())
                    + (r.batchesRefused() > 0
                        ? "; "
                            + ServerOptions.describe(
                                new Spool.Backlog((int) r.batchesRefused(), r.linesRefused()))
                            + " refused, kept in "
                            + spool.rejectedDirectory()
                        : "")
                    + (r.left().batches() > 0
                        ? "; " + ServerOptions.describe(r.left()) + " left in the spool"
                        : ""));
          } else if (files.isEmpty()) {
            out.println("spool " + dir + ": nothing to send");
          }
          total = total.plus(r.counts());
          totalLines += r.linesSent();
          totalBatches += r.batchesSent();
          status = r.status();
          if (r.stoppedBecause() != null) {
            if (!files.isEmpty()) {
              err.println("minewatch push: the files were not sent either");
            }
            return 2;
          }
        }
      }
    } else if (files.isEmpty()) {
      err.println("minewatch push: nothing to send: no FILE, and no spool at " + dir);
      return 2;
    }

    sender.giveUpAfter(retryFor);
    for (Path f : files) {
      Tally t = push(f);
      sources++;
      String line = f + ": " + FindingSender.describe(t.lines, t.batches, t.counts);
      if (t.refusedLines > 0) {
        line +=
            String.format(
                Locale.ROOT,
                "; %,d line%s refused (see above)",
                t.refusedLines,
                t.refusedLines == 1 ? "" : "s");
        status = Math.max(status, 1);
      }
      if (t.stoppedBecause != null) {
        line += String.format(Locale.ROOT, "; not sent from line %,d on", t.stoppedAt);
      }
      out.println(line);
      total = total.plus(t.counts);
      totalLines += t.lines;
      totalBatches += t.batches;
      if (t.stoppedBecause != null) {
        err.println(
            "minewatch push: "
                + f
                + ": not sent from line "
                + t.stoppedAt
                + " on: "
                + t.stoppedBecause
                + (files.indexOf(f) < files.size() - 1
                    ? "; the files after it were not sent either"
                    : ""));
        status = 2;
        break;
      }
    }
    if (sources > 1) {
      out.println("total: " + FindingSender.describe(totalLines, totalBatches, total));
    }
    return status;
  }

  private Tally push(Path file) throws IOException, InterruptedException {
    Tally t = new Tally();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      List<Line> batch = new ArrayList<>();
      long bytes = 0;
      long number = 0;
      for (String text = r.readLine(); text != null; text = r.readLine()) {
        number++;
        if (text.isBlank()) {
          continue;
        }
        byte[] b = (text + "\n").getBytes(StandardCharsets.UTF_8);
        if (!batch.isEmpty()
            && (batch.size() == Spool.MAX_LINES || bytes + b.length > Spool.MAX_BYTES)) {
          if (!send(file, batch, t)) {
            return t;
          }
          batch.clear();
          bytes = 0;
        }
        batch.add(new Line(number, b));
        bytes += b.length;
      }
      if (!batch.isEmpty()) {
        send(file, batch, t);
      }
    }
    return t;
  }

  /**
   * Sends a batch of a file's lines; false if sending has stopped (token refused, server away too
   * long).
   */
  private boolean send(Path file, List<Line> batch, Tally t) throws InterruptedException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Line l : batch) {
      body.writeBytes(l.bytes());
    }
    Answer a = sender.deliver(body.toByteArray());
    long first = batch.get(0).number();
    long last = batch.get(batch.size() - 1).number();
    String range = first == last ? "line " + first : "lines " + first + "-" + last;
    switch (a.kind()) {
      case ACCEPTED -> {
        t.counts = t.counts.plus(a.counts());
        t.lines += batch.size();
        t.batches++;
        return true;
      }
      case REFUSED -> {
        String where =
            a.line() >= 1 && a.line() <= batch.size()
                ? "line " + batch.get(a.line() - 1).number() + ": "
                : "";
        err.println(
            "minewatch push: "
                + file
                + ": "
                + where
                + a.message()
                + " (the server refused the batch of "
                + range
                + ": none of them is stored; fix the line and push the file again)");
        t.refusedLines += batch.size();
        return true;
      }
      case TOO_LARGE -> {
        if (batch.size() > 1) {
          int half = batch.size() / 2;
          return send(file, new ArrayList<>(batch.subList(0, half)), t)
              && send(file, new ArrayList<>(batch.subList(half, batch.size())), t);
        }
        err.println(
            "minewatch push: "
                + file
                + ": line "
                + first
                + ": the server refuses it as too large (413, "
                + batch.get(0).bytes().length
                + " bytes)");
        t.refusedLines++;
        return true;
      }
      default -> {
        t.stoppedAt = first;
        t.stoppedBecause =
            a.kind() == Kind.FATAL
                ? a.message()
                : "the server has been unreachable for "
                    + Durations.show(server.retryFor(DEFAULT_RETRY_FOR))
                    + " ("
                    + a.message()
                    + ")";
        return false;
      }
    }
  }
}
