package org.minewatch.detect.http;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The start line and the few headers of an HTTP/1.x message head that matter to mining, read
 * from bytes in place. One instance per caller, reused.
 */
final class HttpHead {
  static final int MAX_HEAD = 8192;

  enum Parse { COMPLETE, INCOMPLETE, NOT_HTTP }

  boolean request;
  String method;
  String target;
  int status;
  String userAgent;
  String contentType;
  long contentLength;
  boolean chunked;
  /** Mining headers seen, as "Name: value" lines, or null. */
  StringBuilder miningHeaders;
  /** Index just past the blank line that ends the head. */
  int bodyStart;

  private static final String[] METHODS = {"POST ", "GET ", "PUT "};

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

  Parse parse(byte[] d, int at, int end) {
    if (!couldStart(d, at, end)) {
      return Parse.NOT_HTTP;
    }
    int headEnd = -1;
    int limit = Math.min(end, at + MAX_HEAD);
    for (int i = at; i + 3 < limit; i++) {
      if (d[i] == '\r' && d[i + 1] == '\n' && d[i + 2] == '\r' && d[i + 3] == '\n') {
        headEnd = i + 4;
        break;
      }
    }
    if (headEnd < 0) {
      return end - at >= MAX_HEAD ? Parse.NOT_HTTP : Parse.INCOMPLETE;
    }
    reset();
    bodyStart = headEnd;
    int lineStart = at;
    boolean first = true;
    for (int i = at; i < headEnd - 2; i++) {
      if (d[i] == '\r' && d[i + 1] == '\n') {
        if (!line(d, lineStart, i, first)) {
          return Parse.NOT_HTTP;
        }
        first = false;
        lineStart = i + 2;
      }
    }
    return Parse.COMPLETE;
  }

  private void reset() {
    request = false;
    method = null;
    target = null;
    status = 0;
    userAgent = null;
    contentType = null;
    contentLength = -1;
    chunked = false;
    miningHeaders = null;
  }

  private boolean line(byte[] d, int from, int to, boolean first) {
    String s = new String(d, from, to - from, StandardCharsets.ISO_8859_1);
    if (first) {
      String[] parts = s.split(" ", 3);
      if (parts.length < 2) {
        return false;
      }
      if (parts[0].startsWith("HTTP/1.")) {
        request = false;
        try {
          status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
          return false;
        }
        return true;
      }
      if (parts.length < 3 || !parts[2].startsWith("HTTP/1.")) {
        return false;
      }
      request = true;
      method = parts[0];
      target = parts[1];
      return true;
    }
    int colon = s.indexOf(':');
    if (colon <= 0) {
      return true; // tolerate a malformed header line
    }
    String name = s.substring(0, colon).trim().toLowerCase(Locale.ROOT);
    String value = s.substring(colon + 1).trim();
    switch (name) {
      case "user-agent" -> userAgent = value;
      case "content-type" -> contentType = value.toLowerCase(Locale.ROOT);
      case "content-length" -> {
        try {
          contentLength = Long.parseLong(value);
        } catch (NumberFormatException e) {
          contentLength = -1;
        }
      }
      case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
      // Headers that only the getwork protocol family defines (BIP 22/23, Stratum's HTTP bridge).
      case "x-mining-extensions", "x-mining-hashrate", "x-long-polling", "x-stratum", "x-roll-ntime",
          "x-reject-reason", "x-switch-to" -> {
        if (miningHeaders == null) {
          miningHeaders = new StringBuilder();
        } else {
          miningHeaders.append(", ");
        }
        miningHeaders.append(s.substring(0, colon).trim()).append(": ").append(value);
      }
      default -> {
        // not relevant to mining
      }
    }
    return true;
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
