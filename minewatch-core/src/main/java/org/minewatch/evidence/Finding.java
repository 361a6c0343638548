package org.minewatch.evidence;

import java.time.Instant;
import java.util.List;
import org.minewatch.estimate.HashRate;
import org.minewatch.estimate.PowerEstimate;
import org.minewatch.identity.WalletAddress;
import org.minewatch.model.Algorithm;
import org.minewatch.model.Coin;
import org.minewatch.model.Endpoint;
import org.minewatch.model.IpAddress;
import org.minewatch.model.Protocol;
import org.minewatch.model.Role;
import org.minewatch.model.Verdict;

/**
 * One host in one role, with the verdict its evidence supports and what the evidence says.
 *
 * @param peers the other sides of the flows, sorted (at most {@link EvidenceAggregator#MAX_PEERS})
 * @param morePeers how many other sides there were beyond those listed
 * @param flows flows that carried evidence for this host in this role
 * @param bytes bytes on the wire in those flows, both directions
 * @param evidence one sentence per observation, oldest first
 * @param algorithm the proof of work, or null
 * @param hashRate estimated from shares (for a pool: the miners it served in the capture), or null
 * @param reportedHashrate the sum of what the host's miners report of themselves (H/s), or null
 * @param power the power the mining draws, for miners with a hash-rate estimate, or null
 * @param wallet the login's account part where it is a valid address (checksum verified), or null
 * @param operation the id of the operation (miners sharing a wallet or pool account), or null
 * @param poolName the pool's name (for a miner, the pool it uses), or null
 * @param tls what the TLS handshake showed, or null
 * @param workers hash rate per worker name, for the finding's algorithm (empty where no worker is
 *     named)
 * @param source the kinds of input the evidence came from, comma-separated: packets, zeek,
 *     suricata-eve
 */
public record Finding(
    IpAddress host,
    Role role,
    Verdict verdict,
    Coin coin,
    Protocol protocol,
    List<Endpoint> peers,
    int morePeers,
    String login,
    String worker,
    String agent,
    Instant firstSeen,
    Instant lastSeen,
    long flows,
    long bytes,
    List<String> evidence,
    Algorithm algorithm,
    HashRate hashRate,
    Double reportedHashrate,
    PowerEstimate power,
    WalletAddress wallet,
    String operation,
    String poolName,
    TlsInfo tls,
    java.util.Map<String, HashRate> workers,
    String source) {

  public Finding withPower(PowerEstimate p) {
    return new Finding(
        host,
        role,
        verdict,
        coin,
        protocol,
        peers,
        morePeers,
        login,
        worker,
        agent,
        firstSeen,
        lastSeen,
        flows,
        bytes,
        evidence,
        algorithm,
        hashRate,
        reportedHashrate,
        p,
        wallet,
        operation,
        poolName,
        tls,
        workers,
        source);
  }

  public Finding withOperation(String id) {
    return new Finding(
        host,
        role,
        verdict,
        coin,
        protocol,
        peers,
        morePeers,
        login,
        worker,
        agent,
        firstSeen,
        lastSeen,
        flows,
        bytes,
        evidence,
        algorithm,
        hashRate,
        reportedHashrate,
        power,
        wallet,
        id,
        poolName,
        tls,
        workers,
        source);
  }

  public Finding withCoin(Coin c) {
    return new Finding(
        host,
        role,
        verdict,
        c,
        protocol,
        peers,
        morePeers,
        login,
        worker,
        agent,
        firstSeen,
        lastSeen,
        flows,
        bytes,
        evidence,
        algorithm,
        hashRate,
        reportedHashrate,
        power,
        wallet,
        operation,
        poolName,
        tls,
        workers,
        source);
  }

  /**
   * The same finding with another verdict and protocol and one more evidence sentence (a probe's
   * confirmation); its coin and algorithm are those given where it had none.
   */
  public Finding withVerdict(Verdict v, Protocol p, Coin c, Algorithm a, String sentence) {
    List<String> more = new java.util.ArrayList<>(evidence);
    more.add(sentence);
    return new Finding(
        host,
        role,
        v,
        coin != null ? coin : c,
        p,
        peers,
        morePeers,
        login,
        worker,
        agent,
        firstSeen,
        lastSeen,
        flows,
        bytes,
        List.copyOf(more),
        algorithm != null ? algorithm : a,
        hashRate,
        reportedHashrate,
        power,
        wallet,
        operation,
        poolName,
        tls,
        workers,
        source);
  }

  public Finding withPoolName(String name) {
    return new Finding(
        host,
        role,
        verdict,
        coin,
        protocol,
        peers,
        morePeers,
        login,
        worker,
        agent,
        firstSeen,
        lastSeen,
        flows,
        bytes,
        evidence,
        algorithm,
        hashRate,
        reportedHashrate,
        power,
        wallet,
        operation,
        name,
        tls,
        workers,
        source);
  }
}
