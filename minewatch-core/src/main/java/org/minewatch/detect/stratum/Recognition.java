package org.minewatch.detect.stratum;

import org.minewatch.model.Algorithm;
import org.minewatch.model.Coin;
import org.minewatch.model.Protocol;

/**
 * What one JSON-RPC message says about mining.
 *
 * @param what the message in a few words, e.g. {@code mining.subscribe} or {@code job push}
 * @param fromClient whether only a miner sends it (false: only a pool sends it)
 * @param conclusive whether it is mining on its own; a weak message needs company
 * @param reportedHashrate hashes per second the miner says it does (eth_submitHashrate), or -1
 * @param algorithm the proof of work the message implies, or null
 * @param serverName the host name the client says it connects to, or null
 */
public record Recognition(
    Protocol protocol,
    Coin coin,
    String what,
    boolean fromClient,
    boolean conclusive,
    String login,
    String worker,
    String agent,
    String detail,
    double reportedHashrate,
    Algorithm algorithm,
    String serverName) {

  Recognition withAlgorithm(Algorithm a) {
    return new Recognition(
        protocol,
        coin,
        what,
        fromClient,
        conclusive,
        login,
        worker,
        agent,
        detail,
        reportedHashrate,
        a,
        serverName);
  }

  Recognition withServerName(String name) {
    return new Recognition(
        protocol,
        coin,
        what,
        fromClient,
        conclusive,
        login,
        worker,
        agent,
        detail,
        reportedHashrate,
        algorithm,
        name);
  }
}
