package org.minewatch.detect.stratum;

import org.minewatch.detect.Detector;
import org.minewatch.detect.FlowSides;
import org.minewatch.detect.Outcome;
import org.minewatch.detect.Session;
import org.minewatch.evidence.EvidenceSink;
import org.minewatch.flow.Flow;
import org.minewatch.model.Protocol;
import org.minewatch.model.Transport;
import org.minewatch.model.Verdict;

/**
 * Stratum V2's Noise handshake, seen from the start of a connection: the client's first message is
 * exactly 64 bytes (its ElligatorSwift-encoded ephemeral key) and the server's answer exactly 170
 * bytes (its ephemeral key, encrypted static key and signed certificate); everything after is
 * encrypted frames. The content cannot be read, so the verdict is "likely", never "mining".
 */
public final class StratumV2Detector implements Detector {
  static final int CLIENT_HELLO = 64;
  static final int SERVER_HELLO = 170;

  @Override
  public String name() {
    return "stratum-v2";
  }

  @Override
  public boolean handles(Transport transport) {
    return transport == Transport.TCP;
  }

  @Override
  public Outcome inspect(Flow flow, boolean fromA, byte[] data, int offset, int length) {
    // Only a connection seen from its start tells message boundaries; both sides must match.
    if (!flow.orientationFromHandshake()) {
      return Outcome.NOT_THIS;
    }
    boolean client = fromA != flow.clientIsB();
    org.minewatch.flow.StreamBuffer other = flow.existingStream(!fromA);
    long otherBytes = other == null ? 0 : other.delivered();
    long clientBytes = client ? length : otherBytes;
    long serverBytes = client ? otherBytes : length;
    int clientPackets = flow.payloadPackets(client == fromA);
    int serverPackets = flow.payloadPackets(client != fromA);
    if (clientBytes > CLIENT_HELLO
        || serverBytes > SERVER_HELLO
        || clientPackets > 1
        || serverPackets > 2) {
      return Outcome.NOT_THIS;
    }
    return clientBytes == CLIENT_HELLO && serverBytes == SERVER_HELLO
        ? Outcome.DETECTED
        : Outcome.NEEDS_MORE;
  }

  @Override
  public Session open(Flow flow, EvidenceSink sink) {
    FlowSides sides = new FlowSides(flow);
    return (f, fromA, data, offset, length, ts) -> {
      sink.accept(
          sides.minerToPool(
              Verdict.LIKELY,
              Protocol.STRATUM_V2,
              null,
              null,
              f.id(),
              ts,
              "a Stratum V2 Noise handshake: the client's "
                  + "first message is "
                  + CLIENT_HELLO
                  + " bytes, the server's answer "
                  + SERVER_HELLO
                  + " bytes, then encrypted frames"));
      return Session.DONE;
    };
  }
}
