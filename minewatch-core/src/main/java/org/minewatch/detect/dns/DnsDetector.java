package org.minewatch.detect.dns;

import java.util.HashSet;
import java.util.Set;
import org.minewatch.decode.DnsMessage;
import org.minewatch.detect.Detector;
import org.minewatch.detect.FlowSides;
import org.minewatch.detect.Outcome;
import org.minewatch.detect.Session;
import org.minewatch.evidence.Evidence;
import org.minewatch.evidence.EvidenceSink;
import org.minewatch.flow.Flow;
import org.minewatch.intel.Intel;
import org.minewatch.model.Role;
import org.minewatch.model.Transport;
import org.minewatch.model.Verdict;

/**
 * DNS over UDP and TCP, recognised by its structure on any port. Answers are remembered (address to
 * name) so that connections to a pool's address can be named; a host asking for a pool's name is a
 * reason for suspicion, never more.
 */
public final class DnsDetector implements Detector {
  private static final int MAX_NAMES_PER_FLOW = 32;
  private final Intel intel;

  public DnsDetector(Intel intel) {
    this.intel = intel;
  }

  @Override
  public String name() {
    return "dns";
  }

  @Override
  public boolean handles(Transport transport) {
    return true;
  }

  @Override
  public Outcome inspect(Flow flow, boolean fromA, byte[] data, int offset, int length) {
    // DNS that never names a pool needs no session: keep looking (within the inspection bounds)
    // and claim the flow at the first message whose name could be a pool's.
    if (flow.transport() == Transport.UDP) {
      if (!parses(data, offset, length)) {
        return Outcome.NOT_THIS;
      }
      return intel.catalogue().mayBePoolName(data, offset + 12, offset + length)
          ? Outcome.DETECTED
          : Outcome.NEEDS_MORE;
    }
    int at = offset;
    int end = offset + length;
    while (true) {
      if (end - at < 2) {
        return Outcome.NEEDS_MORE;
      }
      int size = ((data[at] & 0xff) << 8) | (data[at + 1] & 0xff);
      if (size < 12 || size > 4096) {
        return Outcome.NOT_THIS;
      }
      if (end - at < 2 + size) {
        return Outcome.NEEDS_MORE;
      }
      if (!parses(data, at + 2, size)) {
        return Outcome.NOT_THIS;
      }
      if (intel.catalogue().mayBePoolName(data, at + 2 + 12, at + 2 + size)) {
        return Outcome.DETECTED;
      }
      at += 2 + size;
    }
  }

  private static boolean parses(byte[] data, int offset, int length) {
    try {
      DnsMessage.firstQuestion(data, offset, length);
      return true;
    } catch (DnsMessage.Malformed e) {
      return false;
    }
  }

  @Override
  public Session open(Flow flow, EvidenceSink sink) {
    FlowSides sides = new FlowSides(flow);
    Set<String> reported = new HashSet<>();
    return new Session() {
      @Override
      public int data(Flow f, boolean fromA, byte[] data, int offset, int length, long ts) {
        if (f.transport() == Transport.UDP) {
          message(f, fromA, data, offset, length, ts);
          return length;
        }
        int at = offset;
        int end = offset + length;
        while (end - at >= 2) {
          int size = ((data[at] & 0xff) << 8) | (data[at + 1] & 0xff);
          if (end - at < 2 + size) {
            break;
          }
          message(f, fromA, data, at + 2, size, ts);
          at += 2 + size;
        }
        return at - offset;
      }

      private void message(Flow f, boolean fromA, byte[] data, int offset, int length, long ts) {
        // Only pools' names matter: most messages are settled by their first question's name.
        DnsMessage m;
        try {
          if (length < 13 || !intel.catalogue().mayBePoolName(data, offset + 12, offset + length)) {
            return;
          }
          m = DnsMessage.parse(data, offset, length);
        } catch (DnsMessage.Malformed e) {
          return;
        }
        sides.settle(fromA, !m.response());
        for (DnsMessage.Answer a : m.answers()) {
          if (a.address() != null && !m.questions().isEmpty()) {
            intel.names().put(a.address(), m.questions().get(0));
          }
        }
        for (String q : m.questions()) {
          var pool = intel.catalogue().poolName(q);
          if (pool.isEmpty()
              || reported.size() >= MAX_NAMES_PER_FLOW
              || !reported.add((m.response() ? "answer " : "query ") + q)) {
            continue;
          }
          StringBuilder addresses = new StringBuilder();
          for (DnsMessage.Answer a : m.answers()) {
            if (a.address() != null) {
              addresses.append(addresses.length() == 0 ? " -> " : ", ").append(a.address());
            }
          }
          sink.accept(
              new Evidence(
                  Verdict.SUSPECT,
                  null,
                  null,
                  sides.client(),
                  sides.server(),
                  Role.MINER,
                  null,
                  f.id(),
                  ts,
                  null,
                  null,
                  null,
                  sides.prefix(ts)
                      + (m.response() ? "DNS answer for " : "DNS query for ")
                      + q
                      + " (mining pool "
                      + pool.get()
                      + ")"
                      + addresses,
                  null,
                  null,
                  Double.NaN,
                  pool.get(),
                  null,
                  null));
        }
      }
    };
  }
}
