package org.minewatch.detect;

import java.time.Instant;
import org.minewatch.evidence.Evidence;
import org.minewatch.flow.Flow;
import org.minewatch.model.Algorithm;
import org.minewatch.model.Coin;
import org.minewatch.model.Endpoint;
import org.minewatch.model.Protocol;
import org.minewatch.model.Role;
import org.minewatch.model.Verdict;

/**
 * Which side of a flow is the client, as a session decides it from what the sides say; starts from
 * the flow table's guess. Also words the flow for evidence sentences.
 */
public final class FlowSides {
  private final Endpoint a;
  private final Endpoint b;
  private final String transport;
  private boolean clientIsA;
  private boolean settled;

  public FlowSides(Flow flow) {
    this.a = flow.endpointA();
    this.b = flow.endpointB();
    this.transport = flow.transport().label();
    this.clientIsA = !flow.clientIsB();
  }

  /**
   * Fixes the client from a message: {@code senderIsA} sent it and it is a client message or not.
   */
  public void settle(boolean senderIsA, boolean senderIsClient) {
    if (!settled) {
      clientIsA = senderIsA == senderIsClient;
      settled = true;
    }
  }

  public boolean isClient(boolean sideA) {
    return sideA == clientIsA;
  }

  public Endpoint client() {
    return clientIsA ? a : b;
  }

  public Endpoint server() {
    return clientIsA ? b : a;
  }

  public String label() {
    return transport + " " + client() + " -> " + server();
  }

  /** "flow TCP a -> b, 2017-12-01T10:00:00Z: " — the start of every evidence sentence. */
  public String prefix(long timestampNanos) {
    return label() + " at " + Instant.ofEpochSecond(0, timestampNanos).toString() + ": ";
  }

  /**
   * Evidence that the client mines with the server as its pool, from what the flow showed at {@code
   * timestampNanos}: no login, worker or agent read; {@code sentence} follows {@link #prefix}. Coin
   * and algorithm may be null.
   */
  public Evidence minerToPool(
      Verdict verdict,
      Protocol protocol,
      Coin coin,
      Algorithm algorithm,
      long flowId,
      long timestampNanos,
      String sentence) {
    return new Evidence(
        verdict,
        protocol,
        coin,
        client(),
        server(),
        Role.MINER,
        Role.POOL,
        flowId,
        timestampNanos,
        null,
        null,
        null,
        prefix(timestampNanos) + sentence,
        algorithm,
        null,
        Double.NaN,
        null,
        null,
        null);
  }
}
