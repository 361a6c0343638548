package org.minewatch.detect.stratum;

import org.minewatch.detect.Detector;
import org.minewatch.detect.Outcome;
import org.minewatch.detect.Session;
import org.minewatch.evidence.EvidenceSink;
import org.minewatch.flow.Flow;
import org.minewatch.model.Transport;

/**
 * Stratum and the other mining dialects of JSON-RPC over a bare TCP stream. Either direction alone
 * suffices, so a session joined mid-way (only pushes, or only submits) is found too.
 */
public final class StratumDetector implements Detector {
  /** Bytes before the first message that may belong to a message cut by the capture start. */
  private static final int MAX_RESYNC = 4096;

  /** Well-formed JSON messages of no mining dialect after which the flow is ruled out. */
  private static final int MAX_FOREIGN_MESSAGES = 3;

  private final ThreadLocal<JsonMessages> reader = ThreadLocal.withInitial(JsonMessages::new);

  @Override
  public String name() {
    return "stratum";
  }

  @Override
  public boolean handles(Transport transport) {
    return transport == Transport.TCP;
  }

  @Override
  public Outcome inspect(Flow flow, boolean fromA, byte[] data, int offset, int length) {
    JsonMessages m = reader.get();
    m.reset(data, offset, length);
    int foreign = 0;
    boolean resynced = false;
    boolean sawMessage = false;
    while (true) {
      switch (m.next()) {
        case END -> {
          return Outcome.NEEDS_MORE;
        }
        case INCOMPLETE -> {
          return length >= JsonMessages.MAX_MESSAGE ? Outcome.NOT_THIS : Outcome.NEEDS_MORE;
        }
        case NOT_JSON -> {
          // The capture may start inside a message: allow one resync at the first newline, if
          // what comes before it is text. Anything else that is not JSON ends the inspection.
          if (resynced || sawMessage) {
            return Outcome.NOT_THIS;
          }
          int line = m.skipTextLine();
          if (line < 0 || m.position() - offset > MAX_RESYNC) {
            return Outcome.NOT_THIS;
          }
          if (line == 0) {
            return length < MAX_RESYNC ? Outcome.NEEDS_MORE : Outcome.NOT_THIS;
          }
          resynced = true;
        }
        case MESSAGE -> {
          Recognition r = StratumGrammar.recognise(m.value, false);
          sawMessage = true;
          if (r != null && r.conclusive()) {
            return Outcome.DETECTED;
          }
          if (r == null && ++foreign >= MAX_FOREIGN_MESSAGES) {
            return Outcome.NOT_THIS;
          }
        }
      }
    }
  }

  @Override
  public Session open(Flow flow, EvidenceSink sink) {
    return new StratumSession(flow, sink);
  }
}
