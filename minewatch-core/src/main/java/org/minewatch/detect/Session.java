package org.minewatch.detect;

import org.minewatch.flow.Flow;

/** Follows one flow after its detector recognised it, and turns what it reads into evidence. */
public interface Session {
  /** Returned by {@link #data} when the session needs no more payload of the flow. */
  int DONE = -1;

  /**
   * New bytes of one direction: for TCP the unconsumed in-order bytes, for UDP one datagram.
   *
   * @return bytes consumed (whole messages only; the rest is offered again with more data), or
   *     {@link #DONE}
   */
  int data(Flow flow, boolean fromA, byte[] data, int offset, int length, long timestampNanos);

  /** The flow has ended; a last chance to summarise. */
  default void close(Flow flow) {}
}
