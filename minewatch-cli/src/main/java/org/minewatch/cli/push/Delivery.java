package org.minewatch.cli.push;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.minewatch.attribution.Attribution;
import org.minewatch.cli.live.FindingSink;
import org.minewatch.cli.output.FindingWriter;
import org.minewatch.evidence.Finding;
import org.minewatch.model.IpAddress;
import org.minewatch.operation.Operation;

/**
 * A command's findings on their way to a server: each is written to the spool (on disk) before
 * anything is sent, and a {@link FindingSender} thread sends the spool's batches, so the analysis
 * never waits for the server. {@link #finish} waits for the last batches (within {@code
 * --retry-for}), says what happened and releases the spool.
 */
public final class Delivery implements FindingSink, AutoCloseable {
  private final Spool spool;
  private final FindingSender sender;
  private final URI server;
  private final Duration retryFor;
  private final PrintStream err;
  private final boolean quiet;

  /**
   * Host and role → the line last spooled for it (live commands: to send at the stop what changed
   * since).
   */
  private final Map<String, String> spooled = new HashMap<>();

  private boolean spoolFailing;
  private boolean lastAppendFailed;
  private int status = -1;

  Delivery(
      Spool spool,
      FindingSender sender,
      URI server,
      Duration retryFor,
      PrintStream err,
      boolean quiet) {
    this.spool = spool;
    this.sender = sender;
    this.server = server;
    this.retryFor = retryFor;
    this.err = err;
    this.quiet = quiet;
  }

  /** Findings as {@code scan -f jsonl} writes them (attributed), spooled and sent. */
  public void send(
      List<Finding> findings,
      List<Operation> operations,
      Map<IpAddress, Attribution> attributions) {
    send(lines(findings, operations, attributions));
  }

  /**
   * JSON lines, spooled and sent; false (with the reason on stderr) if the spool could not take
   * them.
   */
  public synchronized boolean send(List<String> lines) {
    if (lines.isEmpty()) {
      return true;
    }
    try {
      spool.append(lines);
    } catch (IOException e) {
      if (!spoolFailing) {
        err.println("minewatch: cannot write to spool " + spool.directory() + ": " + e);
      }
      spoolFailing = true;
      lastAppendFailed = true;
      return false;
    }
    lastAppendFailed = false;
    sender.wake();
    return true;
  }

  private static List<String> lines(
      List<Finding> findings,
      List<Operation> operations,
      Map<IpAddress, Attribution> attributions) {
    StringWriter w = new StringWriter();
    try {
      FindingWriter.of("jsonl").write(findings, operations, attributions, w);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // a StringWriter does not fail
    }
    String text = w.toString();
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }

  private static String key(Finding f) {
    return f.host() + "|" + f.role().label();
  }

  @Override
  public synchronized void reported(List<Finding> findings) {
    List<String> lines = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (Finding f : findings) {
      String line = lines(List.of(f), List.of(), Map.of()).get(0);
      lines.add(line);
      keys.add(key(f));
    }
    if (send(lines)) {
      for (int i = 0; i < lines.size(); i++) {
        spooled.put(keys.get(i), lines.get(i));
      }
    }
  }

  /**
   * At the stop: every finding whose line changed since it was spooled (counts, last seen, hash
   * rate), then {@link #finish}.
   */
  @Override
  public synchronized void finished(List<Finding> findings) {
    List<String> lines = new ArrayList<>();
    for (Finding f : findings) {
      String line = lines(List.of(f), List.of(), Map.of()).get(0);
      if (!line.equals(spooled.get(key(f)))) {
        lines.add(line);
        spooled.put(key(f), line);
      }
    }
    send(lines);
    finish();
  }

  @Override
  public long graceSeconds() {
    return retryFor.toSeconds()
        + 60; // the last attempt may wait for its answer up to the request timeout
  }

  /**
   * Waits for the spool to empty (within {@code --retry-for} once the server is away), prints what
   * the server said and what is left, releases the spool. Returns 0 when the server took
   * everything, 1 when it refused lines (kept in rejected/), 2 when findings are left in the spool.
   */
  public synchronized int finish() {
    if (status >= 0) {
      return status;
    }
    FindingSender.Report r;
    try {
      r = sender.finish(retryFor);
    } catch (IOException e) {
      err.println("minewatch: spool " + spool.directory() + ": " + e);
      return status = 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println(
          "minewatch: interrupted while sending; what was not sent stays in spool "
              + spool.directory());
      return status = 2;
    } finally {
      close();
    }
    if (!quiet || r.batchesSent() > 0 && r.status() != 0) {
      err.println(
          "minewatch: server "
              + server
              + ": "
              + FindingSender.describe(r.linesSent(), r.batchesSent(), r.counts()));
    }
    if (r.batchesRefused() > 0) {
      err.println(
          "minewatch: the server refused "
              + ServerOptions.describe(
                  new Spool.Backlog((int) r.batchesRefused(), r.linesRefused()))
              + ": kept in "
              + spool.rejectedDirectory()
              + " with its reasons, not sent again");
    }
    if (r.left().batches() > 0) {
      err.println(
          "minewatch: "
              + ServerOptions.describe(r.left())
              + " left in spool "
              + spool.directory()
              + ": the next command with --server "
              + server
              + " and this spool sends them (e.g. minewatch push --server "
              + server
              + " --spool "
              + spool.directory()
              + ")");
    }
    if (lastAppendFailed) {
      return status = 2;
    }
    return status = r.status();
  }

  /**
   * Releases the spool (the batches stay on disk); without {@link #finish}, after one last attempt
   * to send.
   */
  @Override
  public void close() {
    if (status < 0 && sender.running()) {
      try {
        sender.finish(Duration.ZERO);
      } catch (IOException | InterruptedException e) {
        // closing anyway: what is not sent stays in the spool
      }
    }
    try {
      spool.close();
    } catch (IOException e) {
      err.println("minewatch: spool " + spool.directory() + ": " + e);
    }
  }
}
