package org.minewatch.detect.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.minewatch.detect.Detector;
import org.minewatch.detect.FlowSides;
import org.minewatch.detect.Outcome;
import org.minewatch.detect.Session;
import org.minewatch.detect.http.HttpHead;
import org.minewatch.evidence.Evidence;
import org.minewatch.evidence.EvidenceSink;
import org.minewatch.flow.Flow;
import org.minewatch.model.Coin;
import org.minewatch.model.Protocol;
import org.minewatch.model.Role;
import org.minewatch.model.Transport;
import org.minewatch.model.Verdict;

/**
 * Web miners: a browser mining for a page over a WebSocket to the miner's proxy (the messages of
 * {@link WebMinerMessages}, read from the frames after the HTTP upgrade: mining), and a page
 * loading a known in-browser mining library over HTTP (suspect). TLS to the known in-browser mining
 * services is the pool catalogue's part.
 */
public final class WebMinerDetector implements Detector {
  /** Frames looked at per direction while inspecting, and messages read per flow in a session. */
  private static final int INSPECT_FRAMES = 4;

  private static final int MAX_MESSAGES = 64;
  private static final Set<String> SCRIPTS = loadScripts();

  /** What every listed library's name ends with: the cheap test before the list is consulted. */
  private static final String[] SCRIPT_SUFFIXES = {".js", ".wasm"};

  private final ThreadLocal<WebSocketFrames> frames = ThreadLocal.withInitial(WebSocketFrames::new);
  private final ThreadLocal<HttpHead> heads = ThreadLocal.withInitial(HttpHead::new);

  private static Set<String> loadScripts() {
    Set<String> names = new HashSet<>();
    try (InputStream in = WebMinerDetector.class.getResourceAsStream("web-miner-scripts.txt")) {
      for (String name : org.minewatch.io.DataLines.contentLines(in)) {
        names.add(name.toLowerCase(Locale.ROOT));
      }
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("web-miner-scripts.txt is missing from the build", e);
    }
    return Set.copyOf(names);
  }

  @Override
  public String name() {
    return "web-miner";
  }

  @Override
  public boolean handles(Transport transport) {
    return transport == Transport.TCP;
  }

  /** The library a request target names, or null: its last path segment, without the query. */
  static String script(String target) {
    if (target == null) {
      return null;
    }
    int q = target.indexOf('?');
    String path = q >= 0 ? target.substring(0, q) : target;
    String last = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    return SCRIPTS.contains(last) ? last : null;
  }

  @Override
  public Outcome inspect(Flow flow, boolean fromA, byte[] data, int offset, int length) {
    if (!HttpHead.couldBeGetOr101(data, offset, offset + length)) {
      return Outcome.NOT_THIS; // most HTTP: POSTs and answers other than 101, not worth parsing
    }
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
    if (h.isRequest() && h.targetPathEndsWith(SCRIPT_SUFFIXES) && script(h.target()) != null) {
      return Outcome.DETECTED;
    }
    if (!h.isWebSocketUpgrade()) {
      return Outcome.NOT_THIS;
    }
    WebSocketFrames f = frames.get();
    int at = h.headEnd();
    for (int i = 0; i < INSPECT_FRAMES; i++) {
      switch (f.read(data, at, offset + length)) {
        case INCOMPLETE -> {
          return Outcome.NEEDS_MORE;
        }
        case INVALID -> {
          return Outcome.NOT_THIS;
        }
        default -> {
          if (f.opcode == WebSocketFrames.TEXT) {
            Object json = WebMinerMessages.parse(f.payload, f.payloadLength);
            return WebMinerMessages.recognise(json) != null ? Outcome.DETECTED : Outcome.NOT_THIS;
          }
          at = f.next;
        }
      }
    }
    return Outcome.NOT_THIS;
  }

  @Override
  public Session open(Flow flow, EvidenceSink sink) {
    FlowSides sides = new FlowSides(flow);
    return new Session() {
      private final boolean[] headRead = new boolean[2];
      private final Set<String> reported = new HashSet<>();
      private String agent;
      private String host;
      private int messages;

      @Override
      public int data(Flow f, boolean fromA, byte[] data, int offset, int length, long ts) {
        int at = offset;
        int end = offset + length;
        int side = fromA ? 0 : 1;
        if (!headRead[side]) {
          HttpHead h = heads.get();
          HttpHead.Parse parse = h.parse(data, at, end);
          if (parse == HttpHead.Parse.INCOMPLETE) {
            return 0;
          }
          if (parse == HttpHead.Parse.NOT_HTTP) {
            return DONE;
          }
          headRead[side] = true;
          sides.settle(fromA, h.isRequest());
          if (h.isRequest()) {
            agent = h.userAgentHeader();
            host = h.hostHeader();
            String script = h.targetPathEndsWith(SCRIPT_SUFFIXES) ? script(h.target()) : null;
            if (script != null) {
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
                      agent,
                      sides.prefix(ts)
                          + "HTTP GET "
                          + h.target()
                          + (host != null ? " from " + host : "")
                          + " loads the in-browser mining library "
                          + script,
                      null,
                      null,
                      Double.NaN,
                      null,
                      null,
                      host));
              return DONE;
            }
          }
          if (!h.isWebSocketUpgrade()) {
            return DONE;
          }
          at = h.headEnd();
        }
        WebSocketFrames fr = frames.get();
        while (at < end) {
          WebSocketFrames.Read r = fr.read(data, at, end);
          if (r == WebSocketFrames.Read.INCOMPLETE) {
            break;
          }
          if (r == WebSocketFrames.Read.INVALID) {
            return DONE;
          }
          at = fr.next;
          if (fr.opcode != WebSocketFrames.TEXT) {
            continue;
          }
          WebMinerMessages.Message m =
              WebMinerMessages.recognise(WebMinerMessages.parse(fr.payload, fr.payloadLength));
          if (m != null && reported.add(m.kind())) {
            sink.accept(
                new Evidence(
                    Verdict.MINING,
                    Protocol.WEB_MINER,
                    Coin.MONERO,
                    sides.client(),
                    sides.server(),
                    Role.MINER,
                    Role.POOL,
                    f.id(),
                    ts,
                    m.login(),
                    null,
                    agent,
                    sides.prefix(ts)
                        + (m.fromClient() ? "browser sent web-miner " : "proxy sent web-miner ")
                        + m.kind()
                        + " over WebSocket: "
                        + m.detail(),
                    null,
                    null,
                    Double.NaN,
                    null,
                    null,
                    host));
          }
          if (++messages >= MAX_MESSAGES) {
            return DONE;
          }
        }
        return at - offset;
      }
    };
  }
}
