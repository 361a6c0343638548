package org.minewatch.cli.live;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.minewatch.cli.output.FindingWriter;
import org.minewatch.estimate.PowerModel;
import org.minewatch.evidence.EvidenceAggregator;
import org.minewatch.evidence.Finding;
import org.minewatch.intel.Intel;
import org.minewatch.io.Inputs;
import org.minewatch.scan.Conclusions;

/**
 * What every live command shares: findings printed as they are made (at most once a second),
 * statistics on stderr at a fixed interval, an optional time limit, and a clean stop on SIGINT or
 * SIGTERM that lets the source flush before the final findings are written.
 */
public final class LiveSession {
  private static final long FINDINGS_EVERY_NANOS = 1_000_000_000L;

  private final Intel intel;
  private final EvidenceAggregator aggregator;
  private final PowerModel power;
  private final LiveFindings live;
  private final Writer out;
  private final PrintStream err;
  private final Supplier<String> statistics;
  private final long statsEveryNanos;
  private final long deadline;
  private final CountDownLatch flushed = new CountDownLatch(1);
  private Thread stopHook;
  private FindingSink sink;
  private LiveProbe probe;
  private long nextFindings;
  private long nextStats;
  private int printed;
  private boolean outputFailed;

  /**
   * @param statistics the source's counters as one line, for stderr
   * @param seconds how long to run; 0 for until interrupted
   */
  public LiveSession(
      Intel intel,
      EvidenceAggregator aggregator,
      PowerModel power,
      boolean json,
      Writer out,
      PrintStream err,
      Supplier<String> statistics,
      int statsEverySeconds,
      long seconds) {
    this.intel = intel;
    this.aggregator = aggregator;
    this.power = power;
    this.live = new LiveFindings(json);
    this.out = out;
    this.err = err;
    this.statistics = statistics;
    this.statsEveryNanos = statsEverySeconds * 1_000_000_000L;
    long now = System.nanoTime();
    this.deadline = seconds > 0 ? now + seconds * 1_000_000_000L : Long.MAX_VALUE;
    this.nextFindings = now + FINDINGS_EVERY_NANOS;
    this.nextStats = statsEverySeconds > 0 ? now + statsEveryNanos : Long.MAX_VALUE;
  }

  /**
   * Also hands every finding printed, and at the stop all of them, to {@code sink} (e.g. to send
   * them to a server).
   */
  public void sendTo(FindingSink sink) {
    this.sink = sink;
  }

  /**
   * Probes the servers of suspects and of the aggregator's leads, and prints the hosts of confirmed
   * pools as mining.
   */
  public void probeWith(LiveProbe probe) {
    this.probe = probe;
  }

  /**
   * Stops the source ({@code stop}, callable from any thread) on SIGINT/SIGTERM and waits for
   * {@link #finish} so that the process exits only after the last findings are out.
   */
  public void stopOnSignal(Runnable stop) {
    stopHook =
        new Thread(
            () -> {
              stop.run();
              try {
                flushed.await(10 + (sink != null ? sink.graceSeconds() : 0), TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "minewatch-stop");
    Runtime.getRuntime().addShutdownHook(stopHook);
  }

  /**
   * Called often by the source's loop: prints what is due; returns false once the time limit is
   * reached.
   */
  public boolean tick() throws IOException {
    long now = System.nanoTime();
    if (now >= nextFindings) {
      nextFindings = now + FINDINGS_EVERY_NANOS;
      List<Finding> fresh = live.printNew(conclusions().findings(), out);
      printed += fresh.size();
      if (sink != null && !fresh.isEmpty()) {
        sink.reported(fresh);
      }
    }
    if (now >= nextStats) {
      nextStats = now + statsEveryNanos;
      err.println("minewatch: " + statistics.get() + ", " + printed + " findings");
    }
    return now < deadline;
  }

  /**
   * After the source has stopped and flushed: the last findings, the full list to {@code output},
   * the counters.
   */
  public void finish(Path output) throws IOException {
    try {
      Conclusions done = conclusions();
      try {
        printed += live.printNew(done.findings(), out).size();
        if (output != null) {
          try (Writer w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            FindingWriter.of("jsonl").write(done.findings(), done.operations(), w);
          } catch (IOException e) {
            // The folder was checked at the start; a full disk (or /dev/full) shows only now.
            err.println("minewatch: --output " + output + ": cannot write: " + Inputs.reason(e));
            outputFailed = true;
          }
        }
        err.println(
            "minewatch: stopped: "
                + statistics.get()
                + ", "
                + done.findings().size()
                + " findings");
      } finally {
        if (sink != null) {
          sink.finished(
              done.findings()); // the last deliveries, before a stop on a signal lets the JVM end
        }
      }
    } finally {
      flushed.countDown();
      if (stopHook != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(stopHook);
        } catch (IllegalStateException e) {
          // The JVM is already stopping: the hook is what called for this finish.
        }
      }
    }
  }

  /** True if the findings could not be written to the output file at the stop (said on stderr). */
  public boolean outputFailed() {
    return outputFailed;
  }

  private Conclusions conclusions() {
    if (probe == null) {
      return Conclusions.of(aggregator.findings(), intel, power);
    }
    probe.takeLeads(aggregator);
    Conclusions c = Conclusions.of(aggregator.findings(), intel, power);
    return new Conclusions(probe.apply(c.findings()), c.operations());
  }
}
