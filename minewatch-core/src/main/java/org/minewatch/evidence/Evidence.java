package org.minewatch.evidence;

import java.time.Instant;
import org.minewatch.estimate.ShareSample;
import org.minewatch.model.Algorithm;
import org.minewatch.model.Coin;
import org.minewatch.model.Endpoint;
import org.minewatch.model.Protocol;
import org.minewatch.model.Role;
import org.minewatch.model.Verdict;

/**
 * One observation a detector made on one flow, typed by what it supports: the verdict it warrants
 * and the roles it gives the two sides. The aggregator needs nothing else, so a new detector plugs
 * in by emitting evidence of this shape.
 *
 * @param supports the verdict this evidence warrants on its own; null for a lead, which warrants
 *     none: a connection shaped like the start of a mining session, too short to judge, that the
 *     opt-in probe may confirm (it becomes a finding only then; see {@link #isLead()})
 * @param clientRole the role it gives the client side, or null if it says nothing of it
 * @param serverRole the role it gives the server side, or null
 * @param login the account or wallet the client logged in with, or null
 * @param worker the worker (rig) name, or null
 * @param agent the client software as it names itself, or null
 * @param text one sentence a person can check against the capture, naming the flow
 * @param algorithm the proof of work, where the flow tells it, or null
 * @param shares the shares a mining session saw, for the hash-rate estimate, or null
 * @param reportedHashrate what the miner says its own hash rate is (H/s), or NaN
 * @param poolName the pool's name where the traffic tells it (catalogue, block list), or null
 * @param tls the TLS handshake's server name and fingerprints, or null
 * @param serverName the host name the client says it connects to (Stratum subscribe, HTTP Host), or
 *     null
 */
public record Evidence(
    Verdict supports,
    Protocol protocol,
    Coin coin,
    Endpoint client,
    Endpoint server,
    Role clientRole,
    Role serverRole,
    long flowId,
    long timestampNanos,
    String login,
    String worker,
    String agent,
    String text,
    Algorithm algorithm,
    ShareSample shares,
    double reportedHashrate,
    String poolName,
    TlsInfo tls,
    String serverName) {

  /** Evidence without measurements. */
  public Evidence(
      Verdict supports,
      Protocol protocol,
      Coin coin,
      Endpoint client,
      Endpoint server,
      Role clientRole,
      Role serverRole,
      long flowId,
      long timestampNanos,
      String login,
      String worker,
      String agent,
      String text) {
    this(
        supports,
        protocol,
        coin,
        client,
        server,
        clientRole,
        serverRole,
        flowId,
        timestampNanos,
        login,
        worker,
        agent,
        text,
        null,
        null,
        Double.NaN,
        null,
        null,
        null);
  }

  /** A lead for the probe, not evidence of anything on its own. */
  public boolean isLead() {
    return supports == null;
  }

  public Instant time() {
    return Instant.ofEpochSecond(0, timestampNanos);
  }
}
