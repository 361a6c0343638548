package org.minewatch.detect.http;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.minewatch.detect.Ascii;

/**
 * The start line and the few headers of an HTTP/1.x message head that matter to mining, read from
 * bytes in place. One instance per caller, reused. Miners' HTTP reads it here; the web-miner
 * detector reads the WebSocket upgrade and the request target through the public methods.
 */
public final class HttpHead {
  static final int MAX_HEAD = 8192;

  public enum Parse {
    COMPLETE,
    INCOMPLETE,
    NOT_HTTP
  }

  boolean request;
  private byte[] buffer;
  private int methodFrom;
  private int methodTo;
  private int targetTo;

  /** The bytes of the head last parsed, where the header values below lie. */
  private byte[] source;

  // Header values as offsets into the source; made strings only when asked for (the many heads
  // that turn out not to be mining never are).
  private int userAgentFrom = -1;
  private int userAgentTo;
  private String userAgent;
  private int hostFrom = -1;
  private int hostTo;
  private String host;

  /** Whether the User-Agent names a mining program: 0 not yet asked, 1 yes, -1 no. */
  private byte minerAgent;

  long contentLength;
  boolean chunked;

  /** Mining headers seen, as "Name: value" lines, or null. */
  StringBuilder miningHeaders;

  /** Index just past the blank line that ends the head. */
  int bodyStart;

  /**
   * Whether the message carries {@code Upgrade: websocket} (a handshake request or its 101 answer).
   */
  boolean webSocket;

  private static final String[] METHODS = {"POST ", "GET ", "PUT "};

  /**
   * Whether the bytes could begin a GET request or a 101 (Switching Protocols) answer, or are too
   * few to tell: the only messages that fetch a script or open a WebSocket (RFC 6455, section 4).
   * Read from the start line alone, before a whole head is parsed.
   */
  public static boolean couldBeGetOr101(byte[] d, int at, int end) {
    int n = end - at;
    if (startsWith(d, at, end, "GET ", Math.min(n, 4))) {
      return true;
    }
    // "HTTP/1.1 101": the version's last digit is any.
    return startsWith(d, at, end, "HTTP/1.", Math.min(n, 7))
        && (n < 9 || d[at + 8] == ' ')
        && (n <= 9 || startsWith(d, at + 9, end, "101", Math.min(n - 9, 3)));
  }

  /** Whether the bytes could begin an HTTP request or response at all. */
  static boolean couldStart(byte[] d, int at, int end) {
    int n = end - at;
    for (String m : METHODS) {
      if (startsWith(d, at, end, m, Math.min(n, m.length()))) {
        return true;
      }
    }
    return startsWith(d, at, end, "HTTP/1.", Math.min(n, 7));
  }

  public Parse parse(byte[] d, int at, int end) {
    if (!couldStart(d, at, end)) {
      return Parse.NOT_HTTP;
    }
    reset();
    source = d;
    // One pass: each line is read as its CRLF is found, and an empty line ends the head. A line
    // that is not HTTP makes the head NOT_HTTP only once the head is complete, as before it is
    // INCOMPLETE.
    int limit = Math.min(end, at + MAX_HEAD);
    int lineStart = at;
    boolean first = true;
    boolean wellFormed = true;
    for (int i = at; i + 1 < limit; i++) {
      if (d[i] != '\r' || d[i + 1] != '\n') {
        continue;
      }
      if (i == lineStart && !first) {
        bodyStart = i + 2;
        return wellFormed ? Parse.COMPLETE : Parse.NOT_HTTP;
      }
      if (wellFormed && !line(d, lineStart, i, first)) {
        wellFormed = false;
      }
      first = false;
      lineStart = i + 2;
      i++; // the '\n'
    }
    return end - at >= MAX_HEAD ? Parse.NOT_HTTP : Parse.INCOMPLETE;
  }

  private void reset() {
    request = false;
    buffer = null;
    userAgentFrom = -1;
    userAgent = null;
    hostFrom = -1;
    host = null;
    minerAgent = 0;
    contentLength = -1;
    chunked = false;
    miningHeaders = null;
    webSocket = false;
  }

  /** Header names that matter; every other header is skipped without allocating. */
  private static final String[] WANTED = {
    "user-agent",
    "host",
    "content-length",
    "transfer-encoding",
    "upgrade",
    // Headers that only the getwork protocol family defines (BIP 22/23, Stratum's HTTP bridge).
    "x-mining-extensions",
    "x-mining-hashrate",
    "x-long-polling",
    "x-stratum",
    "x-roll-ntime",
    "x-reject-reason",
    "x-switch-to"
  };

  private boolean line(byte[] d, int from, int to, boolean first) {
    if (first) {
      // The start line is checked in place; its words become strings only if they are quoted.
      int sp1 = indexOf(d, from, to, (byte) ' ');
      if (sp1 <= from) {
        return false;
      }
      int sp2 = indexOf(d, sp1 + 1, to, (byte) ' ');
      if (startsWith(d, from, to, "HTTP/1.", 7)) {
        request = false;
        // A status line: the code must be 1 to 3 digits; its value is not needed.
        int end = sp2 < 0 ? to : sp2;
        for (int i = sp1 + 1; i < end; i++) {
          if (d[i] < '0' || d[i] > '9' || i - sp1 > 3) {
            return false;
          }
        }
        return end > sp1 + 1;
      }
      if (sp2 < 0 || !startsWith(d, sp2 + 1, to, "HTTP/1.", 7)) {
        return false;
      }
      request = true;
      buffer = d;
      methodFrom = from;
      methodTo = sp1;
      targetTo = sp2;
      return true;
    }
    int colon = -1;
    for (int i = from; i < to; i++) {
      if (d[i] == ':') {
        colon = i;
        break;
      }
    }
    if (colon <= from) {
      return true; // tolerate a malformed header line
    }
    String name = null;
    for (String w : WANTED) {
      if (nameIs(d, from, colon, w)) {
        name = w;
        break;
      }
    }
    if (name == null) {
      return true;
    }
    if (name.equals("user-agent")) {
      minerAgent = 0;
      userAgentFrom = colon + 1;
      userAgentTo = to;
      userAgent = null;
      return true;
    }
    if (name.equals("host")) {
      hostFrom = colon + 1;
      hostTo = to;
      host = null;
      return true;
    }
    String value = value(d, colon + 1, to);
    switch (name) {
      case "content-length" -> {
        try {
          contentLength = Long.parseLong(value);
        } catch (NumberFormatException e) {
          contentLength = -1;
        }
      }
      case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
      case "upgrade" -> webSocket = value.toLowerCase(Locale.ROOT).contains("websocket");
      default -> {
        if (miningHeaders == null) {
          miningHeaders = new StringBuilder();
        } else {
          miningHeaders.append(", ");
        }
        miningHeaders
            .append(new String(d, from, colon - from, StandardCharsets.ISO_8859_1).trim())
            .append(": ")
            .append(value);
      }
    }
    return true;
  }

  private static String value(byte[] d, int from, int to) {
    return new String(d, from, to - from, StandardCharsets.ISO_8859_1).trim();
  }

  /** The User-Agent, or null; valid until the bytes it was read from are reused. */
  String userAgent() {
    if (userAgent == null && userAgentFrom >= 0) {
      userAgent = value(source, userAgentFrom, userAgentTo);
    }
    return userAgent;
  }

  /**
   * Whether the User-Agent names a mining program; read when first asked, as most heads are ruled
   * out without it. Valid until the bytes the head was read from are reused.
   */
  boolean minerAgent() {
    if (minerAgent == 0) {
      minerAgent =
          userAgentFrom >= 0
                  && org.minewatch.detect.stratum.StratumGrammar.isMinerAgent(
                      source, userAgentFrom, userAgentTo)
              ? (byte) 1
              : (byte) -1;
    }
    return minerAgent > 0;
  }

  /** The Host header, or null; valid until the bytes it was read from are reused. */
  String host() {
    if (host == null && hostFrom >= 0) {
      host = value(source, hostFrom, hostTo);
    }
    return host;
  }

  /**
   * Case-insensitive comparison of the header name in {@code d[from, colon)} (trailing spaces
   * allowed).
   */
  private static boolean nameIs(byte[] d, int from, int colon, String lower) {
    int end = colon;
    while (end > from && (d[end - 1] == ' ' || d[end - 1] == '\t')) {
      end--;
    }
    return end - from == lower.length() && Ascii.startsWithIgnoreCase(d, from, end, lower);
  }

  /** The request method; valid until the bytes it was read from are reused. */
  String method() {
    return buffer == null
        ? null
        : new String(buffer, methodFrom, methodTo - methodFrom, StandardCharsets.ISO_8859_1);
  }

  public boolean isRequest() {
    return request;
  }

  public boolean isWebSocketUpgrade() {
    return webSocket;
  }

  /** Index just past the head, where a body or, after an upgrade, the new protocol starts. */
  public int headEnd() {
    return bodyStart;
  }

  public String hostHeader() {
    return host();
  }

  public String userAgentHeader() {
    return userAgent();
  }

  /**
   * Whether the request target's path (before any query) ends with one of {@code suffixes}
   * (lower-case), compared in place: no string for the many targets that do not.
   */
  public boolean targetPathEndsWith(String... suffixes) {
    if (buffer == null) {
      return false;
    }
    int end = methodTo + 1;
    while (end < targetTo && buffer[end] != '?' && buffer[end] != '#') {
      end++;
    }
    for (String s : suffixes) {
      if (end - s.length() > methodTo
          && Ascii.startsWithIgnoreCase(buffer, end - s.length(), end, s)) {
        return true;
      }
    }
    return false;
  }

  /** The request target; valid until the bytes it was read from are reused. */
  public String target() {
    return buffer == null
        ? null
        : new String(buffer, methodTo + 1, targetTo - methodTo - 1, StandardCharsets.ISO_8859_1);
  }

  private static int indexOf(byte[] d, int from, int to, byte c) {
    for (int i = from; i < to; i++) {
      if (d[i] == c) {
        return i;
      }
    }
    return -1;
  }

  private static boolean startsWith(byte[] d, int at, int end, String s, int n) {
    if (end - at < n) {
      return false;
    }
    for (int k = 0; k < n; k++) {
      if (d[at + k] != s.charAt(k)) {
        return false;
      }
    }
    return true;
  }
}
