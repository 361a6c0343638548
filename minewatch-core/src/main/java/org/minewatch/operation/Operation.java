package org.minewatch.operation;

import java.util.List;
import java.util.Map;
import org.minewatch.model.IpAddress;

/**
 * Miners that work for the same beneficiary: one wallet, or one pool account.
 *
 * @param id a stable name derived from the key, e.g. {@code op-3f9a1c2e}
 * @param keyKind "wallet" or "account"
 * @param key the wallet address or account name
 * @param miners the hosts mining for it
 * @param pools the pools they use
 * @param hashRates the summed best estimates by algorithm label (never across algorithms)
 * @param powerWatts the summed best power estimate of the miners that have one
 * @param farm whether at least {@link #FARM_HOSTS} of its miners share one /24 (IPv4) or /64
 *     (IPv6): many machines in one place, whose site overhead (PUE) counts
 */
public record Operation(
    String id,
    String keyKind,
    String key,
    List<IpAddress> miners,
    List<IpAddress> pools,
    Map<String, Double> hashRates,
    double powerWatts,
    boolean farm) {

  public static final int FARM_HOSTS = 3;

  /** Many hosts behind one beneficiary: a farm spread over addresses, or a botnet. */
  public boolean multiHost() {
    return miners.size() > 1;
  }
}
