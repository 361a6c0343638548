package org.minewatch.detect;

import org.minewatch.evidence.EvidenceSink;
import org.minewatch.flow.Flow;
import org.minewatch.model.Transport;

/**
 * Recognises one protocol family in the first bytes of a flow. Detectors are stateless and shared
 * by all flows; what they learn about a flow lives in the {@link Session} they open.
 */
public interface Detector {

  /** A short name for statistics and messages. */
  String name();

  boolean handles(Transport transport);

  /**
   * Looks at what one direction has carried so far: for TCP the in-order bytes from the start of
   * the capture of that direction (at most {@link org.minewatch.flow.StreamBuffer#MAX_BYTES}), for
   * UDP one datagram. Must not keep references to {@code data}.
   */
  Outcome inspect(Flow flow, boolean fromA, byte[] data, int offset, int length);

  /**
   * Whether this detector reads the flow's content. One that only recognises an encrypted
   * connection (a TLS handshake to a pool) leaves the flow's behaviour to be judged as well.
   */
  default boolean readsContent() {
    return true;
  }

  /** Opens the session that follows a flow this detector recognised. */
  Session open(Flow flow, EvidenceSink sink);
}
