package org.minewatch.evidence;

import java.time.Instant;
import org.minewatch.model.Coin;
import org.minewatch.model.Endpoint;
import org.minewatch.model.Protocol;
import org.minewatch.model.Role;
import org.minewatch.model.Verdict;

/**
 * One observation a detector made on one flow, typed by what it supports: the verdict it
 * warrants and the roles it gives the two sides. The aggregator needs nothing else, so a new
 * detector plugs in by emitting evidence of this shape.
 *
 * @param supports the verdict this evidence warrants on its own
 * @param clientRole the role it gives the client side, or null if it says nothing of it
 * @param serverRole the role it gives the server side, or null
 * @param login the account or wallet the client logged in with, or null
 * @param worker the worker (rig) name, or null
 * @param agent the client software as it names itself, or null
 * @param text one sentence a person can check against the capture, naming the flow
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
    String text) {

  public Instant time() {
    return Instant.ofEpochSecond(0, timestampNanos);
  }
}
