package org.minewatch.cli.live;

import java.io.IOException;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.minewatch.evidence.Finding;
import org.minewatch.model.Endpoint;
import org.minewatch.probe.PoolConfirmations;
import org.minewatch.probe.ProbeCandidates;
import org.minewatch.probe.ProbeResult;
import org.minewatch.probe.Prober;

/**
 * The probe beside a live source: new suspects are queued to one background thread (the source
 * never waits for a probe), and every list of findings gets the confirmations known so far, so a
 * host whose pool was confirmed is printed again as mining.
 */
public final class LiveProbe implements UnaryOperator<List<Finding>>, AutoCloseable {
  private final Prober prober;
  private final PrintStream err;
  private final Set<Endpoint> queued = new HashSet<>();
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "minewatch-probe");
    t.setDaemon(true);
    return t;
  });

  public LiveProbe(Prober prober, PrintStream err) {
    this.prober = prober;
    this.err = err;
  }

  @Override
  public List<Finding> apply(List<Finding> findings) {
    for (Endpoint e : ProbeCandidates.of(findings)) {
      if (!worker.isShutdown() && queued.add(e)) {
        if (prober.allowList().outside(e)) {
          err.println("minewatch: probe: not probed, outside --probe-allow (" + prober.allowList() + "): " + e);
          continue;
        }
        if (!prober.allows(e)) {
          err.println("minewatch: probe: not probed: " + prober.refusal(e));
          continue;
        }
        worker.execute(() -> probe(e));
      }
    }
    return PoolConfirmations.apply(findings, prober.memory().pools());
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
    }
  }

  /** Stops probing; a probe under way is interrupted at its next wait. */
  @Override
  public void close() {
    worker.shutdownNow();
  }
}
