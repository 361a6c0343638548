package org.minewatch.scan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.minewatch.estimate.PowerModel;
import org.minewatch.evidence.Finding;
import org.minewatch.identity.EthashChains;
import org.minewatch.intel.Intel;
import org.minewatch.model.Endpoint;
import org.minewatch.model.IpAddress;
import org.minewatch.model.Role;
import org.minewatch.operation.Operation;
import org.minewatch.operation.OperationGrouper;

/**
 * What the aggregator's findings become once the whole input is known: power for miners, pool names
 * from the names resolved in the traffic, a coin from a single-coin pool, and operations (with a
 * farm's site overhead in its power). Shared by scans, collectors and live captures.
 */
public record Conclusions(List<Finding> findings, List<Operation> operations) {

  public static Conclusions of(List<Finding> raw, Intel intel, PowerModel powerModel) {
    List<Finding> findings = new ArrayList<>(raw.size());
    for (Finding f : raw) {
      // Power belongs to the miner: a pool's figure is the work of others.
      Finding g =
          f.role() == Role.MINER
              ? f.withPower(powerModel.estimate(f.hashRate(), f.agent(), PowerModel.HOST_PUE))
              : f;
      Finding named = g.poolName() != null ? g : g.withPoolName(poolName(g, intel));
      // The weakest clue to a coin: a pool that mines only one.
      if (named.coin() == null && named.poolName() != null) {
        var pool = intel.catalogue().byName(named.poolName());
        if (pool.isPresent()
            && pool.get().coins().size() == 1
            && EthashChains.minedAt(pool.get().coins().iterator().next(), named.lastSeen())) {
          named = named.withCoin(pool.get().coins().iterator().next());
        }
      }
      findings.add(named);
    }
    OperationGrouper.Result grouped = OperationGrouper.group(findings);
    // A farm's machines share a site: its power counts the site overhead (PUE) too.
    Set<String> farms = new HashSet<>();
    grouped.operations().stream().filter(Operation::farm).forEach(o -> farms.add(o.id()));
    List<Finding> out = new ArrayList<>(grouped.findings().size());
    for (Finding f : grouped.findings()) {
      out.add(
          f.operation() != null && farms.contains(f.operation()) && f.power() != null
              ? f.withPower(powerModel.estimate(f.hashRate(), f.agent(), PowerModel.FARM_PUE))
              : f);
    }
    return new Conclusions(
        out, farms.isEmpty() ? grouped.operations() : OperationGrouper.group(out).operations());
  }

  /**
   * The pool's name from the names its address was resolved from in the traffic: for a pool, its
   * own address; for a miner, the addresses it mined with.
   */
  private static String poolName(Finding f, Intel intel) {
    if (f.role() == Role.POOL) {
      return nameOf(f.host(), intel);
    }
    if (f.role() != Role.MINER) {
      return null;
    }
    for (Endpoint peer : f.peers()) {
      String name = nameOf(peer.address(), intel);
      if (name != null) {
        return name;
      }
    }
    return null;
  }

  private static String nameOf(IpAddress address, Intel intel) {
    Intel.PoolMatch match = intel.poolOf(null, address);
    return match == null ? null : match.pool();
  }
}
