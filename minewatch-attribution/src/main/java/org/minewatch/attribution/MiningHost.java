package org.minewatch.attribution;

import java.time.Instant;
import java.util.List;
import org.minewatch.evidence.Finding;
import org.minewatch.model.Endpoint;
import org.minewatch.model.IpAddress;

/**
 * What attribution, assessment and the report need of a finding, whether it comes from a scan in
 * this process or from JSON lines written by earlier scans.
 *
 * @param peers the other sides as {@code ip:port}
 * @param hashrate the estimate in {@code hashrateUnit} (H/s or Sol/s), or null
 * @param kwhPerDay low, best and high energy per day, or null
 */
public record MiningHost(
    IpAddress host,
    String role,
    String verdict,
    String coin,
    String protocol,
    List<String> peers,
    String login,
    String worker,
    List<String> workers,
    String agent,
    Instant firstSeen,
    Instant lastSeen,
    String poolName,
    String wallet,
    String operation,
    String algorithm,
    Double hashrate,
    String hashrateUnit,
    double[] kwhPerDay,
    boolean tls) {

  public boolean miner() {
    return role.equals("miner") && !verdict.equals("node");
  }

  /**
   * A miner with a mining verdict or one shaped like mining: what the campaign counts as a mining
   * address.
   */
  public boolean mining() {
    return miner() && (verdict.equals("mining") || verdict.equals("likely"));
  }

  public static MiningHost of(Finding f) {
    return new MiningHost(
        f.host(),
        f.role().label(),
        f.verdict().label(),
        f.coin() == null ? null : f.coin().label(),
        f.protocol() == null ? null : f.protocol().label(),
        f.peers().stream().map(Endpoint::toString).toList(),
        f.login(),
        f.worker(),
        List.copyOf(f.workers().keySet()),
        f.agent(),
        f.firstSeen(),
        f.lastSeen(),
        f.poolName(),
        f.wallet() == null ? null : f.wallet().address(),
        f.operation(),
        f.algorithm() == null ? null : f.algorithm().label(),
        f.hashRate() == null || f.hashRate().tooFewShares() ? null : f.hashRate().value(),
        f.hashRate() == null ? null : f.hashRate().unit(),
        f.power() == null
            ? null
            : new double[] {
              f.power().lowKwhPerDay(), f.power().bestKwhPerDay(), f.power().highKwhPerDay()
            },
        f.tls() != null);
  }

  /** The port of each peer. */
  public List<Integer> peerPorts() {
    return peers.stream().map(p -> Integer.parseInt(p.substring(p.lastIndexOf(':') + 1))).toList();
  }
}
