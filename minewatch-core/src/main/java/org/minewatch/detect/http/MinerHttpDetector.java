package org.minewatch.detect.http;

import java.util.LinkedHashSet;
import java.util.Set;
import org.minewatch.detect.Detector;
import org.minewatch.detect.FlowSides;
import org.minewatch.detect.Outcome;
import org.minewatch.detect.Session;
import org.minewatch.detect.json.JsonTree;
import org.minewatch.detect.stratum.Recognition;
import org.minewatch.detect.stratum.StratumGrammar;
import org.minewatch.evidence.Evidence;
import org.minewatch.evidence.EvidenceSink;
import org.minewatch.flow.Flow;
import org.minewatch.identity.ChainClues;
import org.minewatch.intel.Intel;
import org.minewatch.model.Protocol;
import org.minewatch.model.Role;
import org.minewatch.model.Transport;
import org.minewatch.model.Verdict;

/**
 * Miners' HTTP: getwork and getblocktemplate JSON-RPC calls (Bitcoin, Ethereum, Monero daemons),
 * the headers only that protocol family uses ({@code X-Mining-Extensions}, {@code X-Long-Polling},
 * {@code X-Stratum}, ...), and miner programs' User-Agents. A mining call or header is mining; a
 * miner's User-Agent on its own is only a reason for suspicion. Other HTTP, JSON-RPC included, is
 * not this.
 */
public final class MinerHttpDetector implements Detector {
  /** Requests and responses read per flow before the session stops. */
  private static final int MAX_MESSAGES = 32;

  private final ThreadLocal<HttpHead> heads = ThreadLocal.withInitial(HttpHead::new);
  private final Intel intel;

  /**
   * @param intel names pools by the Host a request asks for; plain HTTP to a pool is suspect
   */
  public MinerHttpDetector(Intel intel) {
    this.intel = intel;
  }

  @Override
  public String name() {
    return "miner-http";
  }

  @Override
  public boolean handles(Transport transport) {
    return transport == Transport.TCP;
  }

  /** What an HTTP message says; null fields where it says nothing. */
  private record Reading(
      Verdict verdict, Protocol protocol, Recognition call, String text, String agent) {}

  @Override
  public Outcome inspect(Flow flow, boolean fromA, byte[] data, int offset, int length) {
    HttpHead h = heads.get();
    switch (h.parse(data, offset, offset + length)) {
      case NOT_HTTP -> {
        return Outcome.NOT_THIS;
      }
      case INCOMPLETE -> {
        return Outcome.NEEDS_MORE;
      }
      default -> {
        // read below
      }
    }
    int bodyEnd = bodyEnd(h, offset, offset + length);
    if (bodyEnd < 0) {
      return Outcome.NEEDS_MORE;
    }
    Reading r = read(h, jsonBody(h, data, bodyEnd), intel);
    return r != null ? Outcome.DETECTED : Outcome.NOT_THIS;
  }

  /**
   * End of the body of the message at {@code start} if it is all here (0-length bodies included),
   * the body's start if it is too long ever to be all in the reassembly buffer ({@link #cut}), -1
   * if more is coming.
   */
  private static int bodyEnd(HttpHead h, int start, int end) {
    if (h.contentLength >= 0) {
      long stop = h.bodyStart + h.contentLength;
      if (stop <= end) {
        return (int) stop;
      }
      return cut(h, start) ? h.bodyStart : -1;
    }
    if (h.chunked) {
      return h.bodyStart; // a chunked body is not read; the head still counts
    }
    return h.request ? h.bodyStart : end;
  }

  /** Whether the message at {@code start}, head and body, is longer than the buffer holds. */
  private static boolean cut(HttpHead h, int start) {
    return h.contentLength >= 0
        && h.bodyStart - start + h.contentLength > org.minewatch.flow.StreamBuffer.MAX_BYTES;
  }

  /** The body as a JSON tree where it is a JSON object of at most 16 KiB, else null. */
  private static Object jsonBody(HttpHead h, byte[] data, int bodyEnd) {
    int bodyLength = bodyEnd - h.bodyStart;
    if (bodyLength <= 0
        || bodyLength > 16 * 1024
        || data[firstNonSpace(data, h.bodyStart, bodyEnd)] != '{') {
      return null;
    }
    try {
      return JsonTree.parse(data, h.bodyStart, bodyLength);
    } catch (JsonTree.JsonException e) {
      return null;
    }
  }

  private static Reading read(HttpHead h, Object json, Intel intel) {
    Recognition call = json == null ? null : StratumGrammar.recognise(json, true);
    if (call != null && call.conclusive()) {
      Protocol p = call.protocol() == Protocol.ETH_PROXY ? Protocol.GETWORK_HTTP : call.protocol();
      String text =
          (h.request
                  ? "HTTP " + h.method() + " " + h.target() + " calls "
                  : "HTTP response carries a ")
              + call.what()
              + (call.detail() != null ? " (" + call.detail() + ")" : "")
              + (h.userAgent() != null ? ", User-Agent \"" + h.userAgent() + "\"" : "");
      return new Reading(Verdict.MINING, p, call, text, h.userAgent());
    }
    if (h.miningHeaders != null) {
      String text =
          (h.request ? "HTTP " + h.method() + " " + h.target() + " with " : "HTTP response with ")
              + "mining headers "
              + h.miningHeaders
              + (h.userAgent() != null ? ", User-Agent \"" + h.userAgent() + "\"" : "");
      return new Reading(Verdict.MINING, Protocol.GETWORK_HTTP, null, text, h.userAgent());
    }
    if (h.request && h.minerAgent()) {
      return new Reading(
          Verdict.SUSPECT,
          Protocol.MINER_HTTP,
          null,
          "HTTP "
              + h.method()
              + " "
              + h.target()
              + " from a miner's User-Agent \""
              + h.userAgent()
              + "\"",
          h.userAgent());
    }
    String pool =
        h.request && h.host() != null ? intel.catalogue().poolName(h.host()).orElse(null) : null;
    if (pool != null) {
      return new Reading(
          Verdict.SUSPECT,
          null,
          null,
          "HTTP "
              + h.method()
              + " "
              + h.target()
              + " to host "
              + h.host()
              + " (mining pool "
              + pool
              + ")",
          h.userAgent());
    }
    return null;
  }

  /**
   * A getblocktemplate answer's chain (BIP 22: {@code previousblockhash}, {@code bits}, {@code
   * curtime} of its {@code result}), or an Ethash work package's (its seed hash), or null.
   */
  private static ChainClues.Clue templateClue(Object json, long ts) {
    if (json instanceof java.util.Map<?, ?> m
        && m.get("result") instanceof java.util.List<?> work
        && (work.size() == 3 || work.size() == 4)
        && work.get(1) instanceof String seed) {
      // An Ethash work package (eth_getWork's answer): its seed hash names the chain.
      return org.minewatch.identity.EthashChains.job(seed, java.time.Instant.ofEpochSecond(0, ts));
    }
    if (!(json instanceof java.util.Map<?, ?> m)
        || !(m.get("result") instanceof java.util.Map<?, ?> t)
        || !(t.get("previousblockhash") instanceof String prev)
        || !(t.get("bits") instanceof String bits)) {
      return null;
    }
    return templateClue(prev, bits, t, ts);
  }

  /**
   * The chain of an answer cut by the buffer, from the members read before the cut: the previous
   * block hash is enough to tell a SHA-256d chain; the bits, where they came before the cut, tell
   * which.
   */
  private static ChainClues.Clue templateClue(TemplatePrefix prefix, long ts) {
    java.util.Map<String, Object> t = prefix.members();
    if (!(t.get("previousblockhash") instanceof String prev)) {
      return null;
    }
    return templateClue(prev, t.get("bits") instanceof String bits ? bits : null, t, ts);
  }

  private static ChainClues.Clue templateClue(
      String prev, String bits, java.util.Map<?, ?> t, long ts) {
    java.time.Instant at =
        t.get("curtime") instanceof Number n
            ? java.time.Instant.ofEpochSecond(n.longValue())
            : java.time.Instant.ofEpochSecond(0, ts);
    return ChainClues.blockTemplate(prev, bits, at);
  }

  private static int firstNonSpace(byte[] d, int at, int end) {
    while (at < end - 1 && (d[at] == ' ' || d[at] == '\r' || d[at] == '\n' || d[at] == '\t')) {
      at++;
    }
    return at;
  }

  @Override
  public Session open(Flow flow, EvidenceSink sink) {
    FlowSides sides = new FlowSides(flow);
    return new Session() {
      private final Set<String> reported = new LinkedHashSet<>();
      private boolean chainTold;
      private int messages;

      /** Bytes still to come of a body too long for the buffer: passed over as they arrive. */
      private long bodyLeft;

      /** The direction that body comes from. */
      private boolean bodyFromA;

      /** The chain members read from such a body while it is an unanswered template's. */
      private TemplatePrefix prefix;

      /** How many more of its bytes the reading may take: what the buffer would have held. */
      private int prefixLeft;

      /** The direction's gaps when the reading began: a gap ends it, with nothing said. */
      private int prefixGaps;

      @Override
      public int data(Flow f, boolean fromA, byte[] data, int offset, int length, long ts) {
        HttpHead h = heads.get();
        int at = passBody(f, fromA, data, offset, offset + length, ts);
        int end = offset + length;
        while (at < end) {
          HttpHead.Parse parse = h.parse(data, at, end);
          if (parse == HttpHead.Parse.INCOMPLETE) {
            break;
          }
          if (parse == HttpHead.Parse.NOT_HTTP) {
            return DONE; // a body of unknown length or an upgrade: nothing more to read reliably
          }
          int bodyEnd = bodyEnd(h, at, end);
          if (bodyEnd < 0) {
            break;
          }
          boolean cut = cut(h, at);
          sides.settle(fromA, h.request);
          Object json =
              jsonBody(h, data, bodyEnd); // parsed once, for the call and for a template's chain
          Reading r = read(h, json, intel);
          if (r != null && reported.add(r.text())) {
            Recognition c = r.call();
            boolean poolHost = r.protocol() == null;
            sink.accept(
                new Evidence(
                    r.verdict(),
                    r.protocol(),
                    c != null ? c.coin() : null,
                    sides.client(),
                    sides.server(),
                    Role.MINER,
                    r.verdict() == Verdict.MINING || poolHost ? Role.POOL : null,
                    f.id(),
                    ts,
                    c != null ? c.login() : null,
                    c != null ? c.worker() : null,
                    h.request ? r.agent() : null,
                    sides.prefix(ts) + r.text(),
                    c != null ? c.algorithm() : null,
                    null,
                    Double.NaN,
                    null,
                    null,
                    h.request ? h.host() : null));
          }
          if (!h.request && !chainTold && !cut) {
            tell(f, templateClue(json, ts), ts);
          }
          if (++messages >= MAX_MESSAGES || h.chunked || (!h.request && h.contentLength < 0)) {
            return DONE;
          }
          if (cut) {
            // Read what the buffer would have held of a response's body, pass over the rest.
            bodyLeft = h.contentLength;
            bodyFromA = fromA;
            if (!h.request && !chainTold) {
              prefix = new TemplatePrefix();
              prefixLeft = org.minewatch.flow.StreamBuffer.MAX_BYTES - (h.bodyStart - at);
              prefixGaps = gaps(f, fromA);
            }
            at = passBody(f, fromA, data, h.bodyStart, end, ts);
          } else {
            at = Math.max(bodyEnd, h.bodyStart);
          }
        }
        return at - offset;
      }

      /** Passes over the bytes of a cut body at {@code at}, reading them first while it may. */
      private int passBody(Flow f, boolean fromA, byte[] data, int at, int end, long ts) {
        if (bodyLeft == 0 || fromA != bodyFromA) {
          return at;
        }
        int n = (int) Math.min(bodyLeft, end - at);
        if (prefix != null) {
          if (gaps(f, fromA) != prefixGaps) {
            prefix = null; // bytes were lost: what follows is not the body's next bytes
          } else {
            int take = Math.min(n, prefixLeft);
            prefix.feed(data, at, at + take);
            prefixLeft -= take;
            if (prefix.done() || prefixLeft == 0 || n == bodyLeft) {
              tell(f, templateClue(prefix, ts), ts);
              prefix = null;
            }
          }
        }
        bodyLeft -= n;
        return at + n;
      }

      private void tell(Flow f, ChainClues.Clue clue, long ts) {
        if (clue == null) {
          return;
        }
        chainTold = true; // later templates repeat the chain
        boolean ethash = clue.algorithm() == org.minewatch.model.Algorithm.ETHASH;
        sink.accept(
            sides.minerToPool(
                Verdict.SUSPECT,
                ethash ? Protocol.GETWORK_HTTP : Protocol.GETBLOCKTEMPLATE_HTTP,
                clue.coin(),
                clue.algorithm(),
                f.id(),
                ts,
                (ethash ? "work package: " : "block template: ") + clue.sentence()));
      }
    };
  }

  /** Gaps in a direction's reassembled stream so far. */
  private static int gaps(Flow f, boolean fromA) {
    org.minewatch.flow.StreamBuffer s = f.existingStream(fromA);
    return s == null ? 0 : s.gaps();
  }
}
