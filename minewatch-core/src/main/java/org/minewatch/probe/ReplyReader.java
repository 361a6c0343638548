package org.minewatch.probe;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.minewatch.detect.json.JsonFraming;
import org.minewatch.detect.json.JsonTree;

/**
 * Reads what a probed endpoint sends back as JSON messages, newline-delimited or back to back (the
 * detectors' framing and parser), within a deadline and bounds on bytes: a hostile or broken
 * endpoint can make the probe wait a few seconds and read 64 KiB per reply and {@link
 * ProbeChannel#MAX_READ_BYTES} per connection, TLS records included, no more. The deadline is
 * enforced by the channel closing the socket ({@link ProbeChannel#deadline}), so a server dripping
 * bytes, or TLS records, cannot stretch it; the read timeout only shortens the wait.
 */
final class ReplyReader {
  /** Largest reply read; real pools' replies to a miner's first messages are under 2 KiB. */
  static final int MAX_REPLY_BYTES = 64 * 1024;

  /**
   * The next message, or why there is none: exactly one of the two is non-null.
   *
   * @param notJson whether the endpoint sent something that is not JSON (it speaks another
   *     protocol)
   * @param readLimit whether the connection's read limit ended it
   */
  record Reply(Object message, String end, boolean notJson, boolean readLimit) {
    Reply(Object message) {
      this(message, null, false, false);
    }

    Reply(String end) {
      this(null, end, false, false);
    }

    Reply(Object message, String end, boolean notJson) {
      this(message, end, notJson, false);
    }

    static Reply readLimit(String end) {
      return new Reply(null, end, false, true);
    }
  }

  private final ProbeChannel channel;
  private final InputStream in;
  private final byte[] buf = new byte[MAX_REPLY_BYTES];
  private int start;
  private int end;

  ReplyReader(ProbeChannel channel) throws IOException {
    this.channel = channel;
    this.in = channel.in();
  }

  Reply next(long deadlineNanos, String timeoutText) throws IOException {
    while (true) {
      start = JsonFraming.skipWhitespace(buf, start, end);
      if (start < end) {
        if (buf[start] != '{') {
          return new Reply(null, "answered " + preview(), true);
        }
        int stop = JsonFraming.objectEnd(buf, start, end, MAX_REPLY_BYTES);
        if (stop == JsonFraming.NOT_JSON) {
          return end - start >= MAX_REPLY_BYTES
              ? new Reply("sent a reply larger than 64 KiB")
              : new Reply(null, "answered with malformed JSON " + preview(), true);
        }
        if (stop >= 0) {
          try {
            Object value = JsonTree.parse(buf, start, stop - start);
            start = stop;
            return new Reply(value);
          } catch (JsonTree.JsonException e) {
            return new Reply(
                null,
                "answered with malformed JSON " + preview() + " (" + e.getMessage() + ")",
                true);
          }
        }
      }
      if (start > 0) {
        System.arraycopy(buf, start, buf, 0, end - start);
        end -= start;
        start = 0;
      }
      if (end == buf.length) {
        return new Reply("sent a reply larger than 64 KiB");
      }
      long budget = channel.readBytesLeft();
      if (budget <= 0) {
        return Reply.readLimit(ProbeChannel.READ_LIMIT_TEXT);
      }
      long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return new Reply(timeoutText);
      }
      channel.readTimeout(left);
      int n;
      try {
        n = in.read(buf, end, (int) Math.min(buf.length - end, budget));
      } catch (SocketTimeoutException e) {
        return new Reply(timeoutText);
      } catch (IOException e) {
        if (ProbeChannel.causedByReadLimit(e)) {
          // Over TLS, records the endpoint sent used up the limit before a reply came whole.
          return Reply.readLimit(ProbeChannel.READ_LIMIT_TEXT + " (TLS records included)");
        }
        if (channel.expired()) {
          return new Reply(
              timeoutText); // the deadline closed the socket: the reply did not come whole in time
        }
        if (e instanceof java.net.SocketException) {
          return new Reply(
              "reset the connection"); // how brokers of other protocols often refuse a stranger
        }
        throw e;
      }
      if (n < 0) {
        return new Reply(
            end > start
                ? "closed the connection in the middle of " + preview()
                : "closed the connection");
      }
      end += n;
    }
  }

  /** The unread bytes as a person can check them: the first line quoted if it is text, else hex. */
  private String preview() {
    int n = Math.min(end - start, 60);
    boolean text = true;
    int lineEnd = start + n;
    for (int i = start; i < start + n; i++) {
      byte c = buf[i];
      if (c == '\n' || c == '\r') {
        lineEnd = i;
        break;
      }
      if (c < 0x20 || c == 0x7f) {
        text = false;
        break;
      }
    }
    if (text) {
      String s = new String(buf, start, lineEnd - start, StandardCharsets.UTF_8);
      return "\""
          + ProbeText.item(s).replace("\"", "\\\"")
          + (lineEnd - start == 60 ? "…" : "")
          + "\"";
    }
    StringBuilder b = new StringBuilder("bytes");
    for (int i = start; i < start + Math.min(n, 8); i++) {
      b.append(String.format(" %02x", buf[i] & 0xff));
    }
    return b.toString();
  }
}
