package org.minewatch.detect;

import java.time.Instant;
import org.minewatch.flow.Flow;
import org.minewatch.model.Endpoint;

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
}
