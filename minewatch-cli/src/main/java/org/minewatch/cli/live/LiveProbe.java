package org.minewatch.cli.live;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.minewatch.evidence.EvidenceAggregator;
import org.minewatch.evidence.Finding;
import org.minewatch.model.Endpoint;
import org.minewatch.probe.PoolConfirmations;
import org.minewatch.probe.ProbeCandidates;
import org.minewatch.probe.ProbeResult;
import org.minewatch.probe.Prober;

/**
 * The probe beside a live source: new suspects are queued to one background thread (the source
 * never waits for a probe), and every list of findings gets the confirmations known so far, so a
 * host whose pool was confirmed is printed again as mining. An endpoint is queued once at a time;
 * when its probe ends it may be queued again, and the prober's memory keeps it from being connected
 * to more than once per interval. The queue is bounded: what does not fit is named and dropped, to
 * be queued again when it is seen next. Leads (connections shaped like the start of a mining
 * session, too short to judge) are queued from the aggregator the same way, and become {@code
 * mining} once their server is confirmed.
 */
public final class LiveProbe implements UnaryOperator<List<Finding>>, AutoCloseable {
  /** Probes waiting at most; beyond it, suspects are dropped (and said so) until there is room. */
  public static final int MAX_WAITING = 256;

  /**
   * Refused endpoints named once each; beyond it the record starts again (and they are named
   * again).
   */
  private static final int MAX_NAMED = 10_000;

  private final Prober prober;
  private final PrintStream err;
  private final Set<Endpoint> queued = ConcurrentHashMap.newKeySet();
  private final Set<Endpoint> named = ConcurrentHashMap.newKeySet();
  private final ExecutorService worker;
  private boolean leadsWaitingSaid;
  private long droppedSaid;

  public LiveProbe(Prober prober, PrintStream err) {
    this(prober, err, backgroundThread());
  }

  /** With {@code worker} running the probes (a test passes one it runs by hand). */
  public LiveProbe(Prober prober, PrintStream err, ExecutorService worker) {
    this.prober = prober;
    this.err = err;
    this.worker = worker;
  }

  /** One daemon thread, at most {@link #MAX_WAITING} probes waiting for it. */
  static ExecutorService backgroundThread() {
    return new ThreadPoolExecutor(
        1,
        1,
        0,
        TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(MAX_WAITING),
        r -> {
          Thread t = new Thread(r, "minewatch-probe");
          t.setDaemon(true);
          return t;
        });
  }

  /** What became of an endpoint offered to the queue. */
  private enum Queued {
    /** Queued now. */
    QUEUED,
    /** Waiting already, or probed within the interval. */
    WAITING,
    /** Outside the allow-list or in a range never probed (named once). */
    REFUSED,
    /** The queue is full. */
    FULL,
    /** Probing has stopped. */
    CLOSED
  }

  @Override
  public List<Finding> apply(List<Finding> findings) {
    for (Endpoint e : ProbeCandidates.of(findings)) {
      Queued q = queue(e);
      if (q == Queued.CLOSED) {
        break;
      }
      if (q == Queued.FULL) {
        err.println(
            "minewatch: probe: "
                + MAX_WAITING
                + " probes are waiting already: "
                + e
                + " not queued (it will be when seen again)");
      }
    }
    return PoolConfirmations.apply(findings, prober.memory().pools());
  }

  /**
   * Before the findings are read: leads whose server a probe confirmed become evidence of mining in
   * {@code aggregator}; those whose server it found no pool, or may not probe, are forgotten; the
   * servers of the others are queued like suspects' while the queue has room (a full queue is said
   * once until it has room again). Called under the lock that serializes the aggregator's use.
   */
  public void takeLeads(EvidenceAggregator aggregator) {
    Map<Endpoint, ProbeResult> pools = prober.memory().pools();
    boolean full = false;
    for (Endpoint e : aggregator.leadServers()) {
      // One read decides: a probe ending on its thread meanwhile is seen next time.
      Optional<ProbeResult> recent = prober.remembered(e);
      ProbeResult pool =
          recent.isPresent() ? recent.filter(ProbeResult::pool).orElse(null) : pools.get(e);
      if (pool != null) {
        aggregator.confirmLeads(
            e,
            pool.confirmation().protocol(),
            pool.confirmation().coin(),
            pool.confirmation().algorithm(),
            pool.sentence());
        continue;
      }
      if (recent.isPresent()) {
        aggregator.dropLeads(e); // probed within the interval: no pool there
        continue;
      }
      if (full) {
        continue; // still settle the others
      }
      Queued q = queue(e);
      if (q == Queued.REFUSED) {
        aggregator.dropLeads(e);
      } else if (q == Queued.FULL) {
        full = true;
        if (!leadsWaitingSaid) {
          leadsWaitingSaid = true;
          err.println(
              "minewatch: probe: "
                  + MAX_WAITING
                  + " probes are waiting already: leads wait until there is room");
        }
      } else if (q == Queued.CLOSED) {
        full = true; // no more probes; still settle the others
      } else if (q == Queued.QUEUED) {
        leadsWaitingSaid = false;
      }
    }
    long dropped = aggregator.leadsDropped();
    if (dropped > droppedSaid) {
      err.println(
          "minewatch: probe: "
              + dropped
              + " leads not kept: more than "
              + EvidenceAggregator.MAX_LEADS
              + " wait for their probe");
      droppedSaid = 2 * dropped; // again once the count has doubled
    }
  }

  /** Queues a probe of {@code e} unless refused, remembered or queued already. */
  private Queued queue(Endpoint e) {
    if (worker.isShutdown()) {
      return Queued.CLOSED;
    }
    if (!prober.allows(e)) {
      if (named.size() >= MAX_NAMED) {
        named.clear();
      }
      if (named.add(e)) {
        err.println(
            prober.allowList().outside(e)
                ? "minewatch: probe: not probed, outside --probe-allow ("
                    + prober.allowList()
                    + "): "
                    + e
                : "minewatch: probe: not probed: " + prober.refusal(e));
      }
      return Queued.REFUSED;
    }
    if (prober.remembered(e).isPresent() || !queued.add(e)) {
      return Queued.WAITING; // probed within the interval, or waiting for its probe
    }
    try {
      worker.execute(() -> probe(e));
      return Queued.QUEUED;
    } catch (RejectedExecutionException full) {
      queued.remove(e);
      return worker.isShutdown() ? Queued.CLOSED : Queued.FULL;
    }
  }

  private void probe(Endpoint e) {
    try {
      ProbeResult r = prober.probe(e);
      err.println("minewatch: probe: " + r.summary());
      prober.memory().save();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    } catch (IOException ex) {
      err.println("minewatch: probe: cannot save the probe results: " + ex.getMessage());
    } catch (RuntimeException ex) {
      err.println("minewatch: probe: " + e + ": the probe failed: " + ex);
    } finally {
      queued.remove(e);
    }
  }

  /** Stops probing; a probe under way is interrupted at its next wait. */
  @Override
  public void close() {
    worker.shutdownNow();
  }
}
