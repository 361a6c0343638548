package org.minewatch.detect.node;

import org.minewatch.detect.Detector;
import org.minewatch.detect.FlowSides;
import org.minewatch.detect.Outcome;
import org.minewatch.detect.Session;
import org.minewatch.evidence.Evidence;
import org.minewatch.evidence.EvidenceSink;
import org.minewatch.flow.Flow;
import org.minewatch.model.Role;
import org.minewatch.model.Verdict;

/**
 * A blockchain peer-to-peer protocol, recognised from a message whose structure can be checked (a
 * checksum, a signature, a hash). Both sides of such a flow are nodes; that is never mining.
 */
abstract class NodeProtocolDetector implements Detector {

  /**
   * The checked sighting in these bytes, or null. A message must begin at the first byte: at the
   * start of a connection, or, where the capture joined mid-stream, at the first captured segment,
   * which peers almost always begin with a message.
   */
  abstract NodeSighting sight(byte[] data, int offset, int length);

  /** Whether more bytes could still turn into a sighting. */
  abstract boolean couldBecome(byte[] data, int offset, int length);

  @Override
  public Outcome inspect(Flow flow, boolean fromA, byte[] data, int offset, int length) {
    if (sight(data, offset, length) != null) {
      return Outcome.DETECTED;
    }
    return couldBecome(data, offset, length) ? Outcome.NEEDS_MORE : Outcome.NOT_THIS;
  }

  @Override
  public Session open(Flow flow, EvidenceSink sink) {
    FlowSides sides = new FlowSides(flow);
    return new Session() {
      private boolean reported;

      @Override
      public int data(Flow f, boolean fromA, byte[] data, int offset, int length, long ts) {
        if (reported) {
          return DONE;
        }
        NodeSighting s = sight(data, offset, length);
        if (s == null) {
          return 0;
        }
        reported = true;
        sink.accept(
            new Evidence(
                Verdict.NODE,
                s.protocol(),
                s.coin(),
                sides.client(),
                sides.server(),
                Role.NODE,
                Role.NODE,
                f.id(),
                ts,
                null,
                null,
                null,
                sides.prefix(ts)
                    + (sides.isClient(fromA) ? "client" : "server")
                    + " sent "
                    + s.what()));
        return DONE;
      }
    };
  }
}
