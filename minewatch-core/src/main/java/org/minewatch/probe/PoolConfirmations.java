package org.minewatch.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.minewatch.evidence.Finding;
import org.minewatch.model.Endpoint;
import org.minewatch.model.Role;
import org.minewatch.model.Verdict;

/**
 * Turns confirmed pools into verdicts: every miner with a flow to a confirmed pool endpoint, and
 * the pool's own finding, become {@code mining}, in the dialect the pool answered in, with the
 * probe's sentence as evidence, and the coin and algorithm of the pool's work for the probe where
 * the finding's own traffic named none. Findings of other hosts are left as they are.
 */
public final class PoolConfirmations {
  private PoolConfirmations() {}

  public static List<Finding> apply(List<Finding> findings, Map<Endpoint, ProbeResult> pools) {
    if (pools.isEmpty()) {
      return findings;
    }
    List<Finding> out = new ArrayList<>(findings.size());
    for (Finding f : findings) {
      ProbeResult pool = poolOf(f, pools);
      out.add(
          pool == null || f.verdict() == Verdict.MINING
              ? f
              : f.withVerdict(
                  Verdict.MINING,
                  pool.confirmation().protocol(),
                  pool.confirmation().coin(),
                  pool.confirmation().algorithm(),
                  pool.sentence()));
    }
    // Verdicts changed: keep the aggregator's order (strongest first, then role, then host).
    out.sort(
        java.util.Comparator.comparing(Finding::verdict)
            .thenComparing(Finding::role)
            .thenComparing(Finding::host));
    return out;
  }

  private static ProbeResult poolOf(Finding f, Map<Endpoint, ProbeResult> pools) {
    if (f.role() == Role.MINER) {
      for (Endpoint peer : f.peers()) {
        ProbeResult r = pools.get(peer);
        if (r != null) {
          return r;
        }
      }
    } else if (f.role() == Role.POOL) {
      for (ProbeResult r : pools.values()) {
        if (r.endpoint().address().equals(f.host())) {
          return r;
        }
      }
    }
    return null;
  }
}
