package org.minewatch.detect.stratum;

import org.minewatch.model.Coin;
import org.minewatch.model.Protocol;

/**
 * What one JSON-RPC message says about mining.
 *
 * @param what the message in a few words, e.g. {@code mining.subscribe} or {@code job push}
 * @param fromClient whether only a miner sends it (false: only a pool sends it)
 * @param conclusive whether it is mining on its own; a weak message needs company
 * @param reportedHashrate hashes per second the miner says it does (eth_submitHashrate), or -1
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
    double reportedHashrate) {

  Recognition withProtocol(Protocol p) {
    return new Recognition(p, coin, what, fromClient, conclusive, login, worker, agent, detail, reportedHashrate);
  }
}
