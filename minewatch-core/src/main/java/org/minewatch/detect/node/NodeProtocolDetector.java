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
 * A blockchain peer-to-peer protocol, recognised from a message whose structure can be checked
 * (a checksum, a signature, a hash). Both sides of such a flow are nodes; that is never mining.
 */
abstract class NodeProtocolDetector implements Detector {

  /**
   * The checked sighting in these bytes, or null.
   *
   * @param fromStart whether the bytes begin at the start of the connection (its handshake was
   *     captured), so a message must begin at the first byte; otherwise the capture joined
   *     mid-stream and a message may begin anywhere in the first bytes
   */
  abstract NodeSighting sight(byte[] data, int offset, int length, boolean fromStart);

  /** Whether more bytes could still turn into a sighting. */
  abstract boolean couldBecome(byte[] data, int offset, int length, boolean fromStart);

  /**
   * Payload packets of a direction, joined mid-stream, within which a message header is looked
   * for at every position; later the search would only repeat itself over the same bytes.
   */
  static final int MID_STREAM_PACKETS = 2;

  @Override
  public Outcome inspect(Flow flow, boolean fromA, byte[] data, int offset, int length) {
    boolean fromStart = fromStart(flow);
    if (!fromStart && flow.payloadPackets(fromA) > MID_STREAM_PACKETS) {
      return Outcome.NOT_THIS;
    }
    if (sight(data, offset, length, fromStart) != null) {
      return Outcome.DETECTED;
    }
    return couldBecome(data, offset, length, fromStart) ? Outcome.NEEDS_MORE : Outcome.NOT_THIS;
  }

  private static boolean fromStart(Flow flow) {
    return flow.transport() == org.minewatch.model.Transport.UDP || flow.orientationFromHandshake();
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
        NodeSighting s = sight(data, offset, length, fromStart(f));
        if (s == null) {
          return 0;
        }
        reported = true;
        sink.accept(new Evidence(Verdict.NODE, s.protocol(), s.coin(), sides.client(), sides.server(), Role.NODE,
            Role.NODE, f.id(), ts, null, null, null,
            sides.prefix(ts) + (sides.isClient(fromA) ? "client" : "server") + " sent " + s.what()));
        return DONE;
      }
    };
  }
}
