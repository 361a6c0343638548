package org.minewatch.detect.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.minewatch.detect.Ascii;
import org.minewatch.detect.Detector;
import org.minewatch.detect.FlowSides;
import org.minewatch.detect.Outcome;
import org.minewatch.detect.Session;
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
 * loading a known in-browser mining library over HTTP (suspect). TLS to the known in-browser
 * mining services is the pool catalogue's part.
 */
public final class WebMinerDetector implements Detector {
  private static final int MAX_HEAD = 8192;
  /** Frames looked at per direction while inspecting, and messages read per flow in a session. */
  private static final int INSPECT_FRAMES = 4;
  private static final int MAX_MESSAGES = 64;
  private static final Set<String> SCRIPTS = loadScripts();

  private final ThreadLocal<WebSocketFrames> frames = ThreadLocal.withInitial(WebSocketFrames::new);

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

  /** An HTTP head at the start of a direction: a GET request or a 101 response, and where it ends. */
  private record Head(boolean request, int end, String target, boolean websocket, String userAgent, String host) {}

  /** The head, null if the bytes are no GET or 101 head, or {@link #INCOMPLETE} if it is not all here. */
  private static Head head(byte[] d, int at, int end) {
    boolean request = Ascii.startsWithIgnoreCase(d, at, end, "get ");
    boolean upgraded = Ascii.startsWithIgnoreCase(d, at, end, "http/1.1 101");
    if (!request && !upgraded) {
      return null;
    }
    int limit = Math.min(end, at + MAX_HEAD);
    int stop = -1;
    for (int i = at; i + 3 < limit; i++) {
      if (d[i] == '\r' && d[i + 1] == '\n' && d[i + 2] == '\r' && d[i + 3] == '\n') {
        stop = i + 4;
        break;
      }
    }
    if (stop < 0) {
      return limit - at >= MAX_HEAD ? null : INCOMPLETE;
    }
    // Most heads are ordinary requests: settle those without building strings.
    if (request && !Ascii.containsIgnoreCase(d, at, stop, "websocket") && !scriptLike(d, at, stop)) {
      return ORDINARY;
    }
    String text = new String(d, at, stop - at, StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r\n");
    String target = null;
    if (request) {
      String[] words = lines[0].split(" ");
      target = words.length >= 2 ? words[1] : null;
    }
    boolean websocket = upgraded;
    String agent = null;
    String host = null;
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = lines[i].substring(colon + 1).strip();
      switch (name) {
        case "upgrade" -> websocket |= value.toLowerCase(Locale.ROOT).contains("websocket");
        case "user-agent" -> agent = value;
        case "host" -> host = value;
        default -> { }
      }
    }
    return new Head(request, stop, target, websocket, agent, host);
  }

  private static final Head INCOMPLETE = new Head(false, -1, null, false, null, null);
  /** A request that is neither a WebSocket upgrade nor for a script: nothing for this detector. */
  private static final Head ORDINARY = new Head(true, -1, null, false, null, null);

  /** Whether the request target (first line, before any query) ends in ".js" or ".wasm". */
  private static boolean scriptLike(byte[] d, int at, int stop) {
    int from = at + 4; // after "GET "
    int end = from;
    while (end < stop && d[end] != ' ' && d[end] != '?' && d[end] != '\r') {
      end++;
    }
    return Ascii.startsWithIgnoreCase(d, end - 3, end, ".js") || Ascii.startsWithIgnoreCase(d, end - 5, end, ".wasm");
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
    Head h = head(data, offset, offset + length);
    if (h == null) {
      return Outcome.NOT_THIS;
    }
    if (h == INCOMPLETE) {
      return Outcome.NEEDS_MORE;
    }
    if (h == ORDINARY) {
      return Outcome.NOT_THIS;
    }
    if (h.request() && script(h.target()) != null) {
      return Outcome.DETECTED;
    }
    if (!h.websocket()) {
      return Outcome.NOT_THIS;
    }
    WebSocketFrames f = frames.get();
    int at = h.end();
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
          Head h = head(data, at, end);
          if (h == INCOMPLETE) {
            return 0;
          }
          if (h == null || h == ORDINARY) {
            return DONE;
          }
          headRead[side] = true;
          sides.settle(fromA, h.request());
          if (h.request()) {
            agent = h.userAgent();
            host = h.host();
            String script = script(h.target());
            if (script != null) {
              sink.accept(new Evidence(Verdict.SUSPECT, null, null, sides.client(), sides.server(), Role.MINER, null,
                  f.id(), ts, null, null, agent, sides.prefix(ts) + "HTTP GET " + h.target() + (host != null
                  ? " from " + host : "") + " loads the in-browser mining library " + script, null, null, Double.NaN,
                  null, null, host));
              return DONE;
            }
          }
          at = h.end();
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
          WebMinerMessages.Message m = WebMinerMessages.recognise(WebMinerMessages.parse(fr.payload, fr.payloadLength));
          if (m != null && reported.add(m.kind())) {
            sink.accept(new Evidence(Verdict.MINING, Protocol.WEB_MINER, Coin.MONERO, sides.client(),
                sides.server(), Role.MINER, Role.POOL, f.id(), ts, m.login(), null, agent,
                sides.prefix(ts) + (m.fromClient() ? "browser sent web-miner " : "proxy sent web-miner ") + m.kind()
                    + " over WebSocket: " + m.detail(), null, null, Double.NaN, null, null, host));
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
