package org.minewatch.detect.tls;

import org.minewatch.decode.TlsClientHello;
import org.minewatch.detect.Detector;
import org.minewatch.detect.FlowSides;
import org.minewatch.detect.Outcome;
import org.minewatch.detect.Session;
import org.minewatch.evidence.Evidence;
import org.minewatch.evidence.EvidenceSink;
import org.minewatch.evidence.TlsInfo;
import org.minewatch.flow.Flow;
import org.minewatch.intel.Intel;
import org.minewatch.model.Role;
import org.minewatch.model.Transport;
import org.minewatch.model.Verdict;

/**
 * TLS connections to mining pools: the ClientHello's server name, or a server address resolved from
 * a pool's name earlier in the traffic, or one on an imported block list. The content is encrypted,
 * so such a connection is suspect, never more; the evidence names the pool and the client's JA3 and
 * JA4 fingerprints. Other TLS is left alone after its first message.
 */
public final class TlsPoolDetector implements Detector {
  private final Intel intel;

  public TlsPoolDetector(Intel intel) {
    this.intel = intel;
  }

  @Override
  public String name() {
    return "tls-pool";
  }

  @Override
  public boolean readsContent() {
    return false; // the handshake only: what follows is encrypted
  }

  @Override
  public boolean handles(Transport transport) {
    return transport == Transport.TCP;
  }

  @Override
  public Outcome inspect(Flow flow, boolean fromA, byte[] data, int offset, int length) {
    TlsClientHello.Parse p = TlsClientHello.frame(data, offset, length);
    if (p instanceof TlsClientHello.Incomplete) {
      return Outcome.NEEDS_MORE;
    }
    if (!(p instanceof TlsClientHello.Hello)) {
      return Outcome.NOT_THIS;
    }
    // Claim the flow only if it goes to a pool: most TLS is settled here, without a session.
    String sni = TlsClientHello.serverName(data, offset, length);
    org.minewatch.model.IpAddress server = (fromA ? flow.endpointB() : flow.endpointA()).address();
    return intel.poolOf(sni, server) != null ? Outcome.DETECTED : Outcome.NOT_THIS;
  }

  @Override
  public Session open(Flow flow, EvidenceSink sink) {
    FlowSides sides = new FlowSides(flow);
    return (f, fromA, data, offset, length, ts) -> {
      if (!(TlsClientHello.frame(data, offset, length) instanceof TlsClientHello.Hello)) {
        return 0;
      }
      sides.settle(fromA, true);
      String sni = TlsClientHello.serverName(data, offset, length);
      Intel.PoolMatch pool = intel.poolOf(sni, sides.server().address());
      if (pool != null
          && TlsClientHello.parse(data, offset, length) instanceof TlsClientHello.Hello h) {
        TlsClientHello hello = h.hello();
        TlsInfo tls =
            new TlsInfo(
                hello.sni(),
                hello.alpn().isEmpty() ? null : hello.alpn().get(0),
                hello.ja3(),
                hello.ja4());
        sink.accept(
            new Evidence(
                Verdict.SUSPECT,
                null,
                null,
                sides.client(),
                sides.server(),
                Role.MINER,
                Role.POOL,
                f.id(),
                ts,
                null,
                null,
                null,
                sides.prefix(ts)
                    + "TLS connection to "
                    + pool.reason()
                    + " (mining pool "
                    + pool.pool()
                    + "); JA3 "
                    + tls.ja3()
                    + ", JA4 "
                    + tls.ja4(),
                null,
                null,
                Double.NaN,
                pool.pool(),
                tls,
                sni));
      }
      return Session.DONE;
    };
  }
}
