package org.minewatch.probe;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.minewatch.detect.json.JsonFraming;
import org.minewatch.detect.json.JsonTree;

/**
 * Reads what a probed endpoint sends back as JSON messages, newline-delimited or back to back (the
 * detectors' framing and parser), within a deadline and a bound on bytes: a hostile or broken
 * endpoint can make the probe wait a few seconds and read 64 KiB per reply, no more. The deadline
 * is enforced by the channel closing the socket ({@link ProbeChannel#deadline}), so a server
 * dripping bytes, or TLS records, cannot stretch it; the read timeout only shortens the wait. TLS
 * records' own bytes are not counted against {@link #MAX_CONNECTION_BYTES} (only the decrypted ones
 * are); the deadlines bound them.
 */
final class ReplyReader {
  /** Largest reply read; real pools' replies to a miner's first messages are under 2 KiB. */
  static final int MAX_REPLY_BYTES = 64 * 1024;

  /** Largest total read on one connection (a pool may push several jobs in a row). */
  static final int MAX_CONNECTION_BYTES = 4 * MAX_REPLY_BYTES;

  /**
   * The next message, or why there is none: exactly one of the two is non-null.
   *
   * @param notJson whether the endpoint sent something that is not JSON (it speaks another
   *     protocol)
   */
  record Reply(Object message, String end, boolean notJson) {
    Reply(Object message) {
      this(message, null, false);
    }

    Reply(String end) {
      this(null, end, false);
    }
  }

  private final ProbeChannel channel;
  private final InputStream in;
  private final byte[] buf = new byte[MAX_REPLY_BYTES];
  private int start;
  private int end;
  private long total;

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
      if (total >= MAX_CONNECTION_BYTES) {
        return new Reply("sent more than 256 KiB");
      }
      long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return new Reply(timeoutText);
      }
      channel.readTimeout(left);
      int n;
      try {
        n = in.read(buf, end, (int) Math.min(buf.length - end, MAX_CONNECTION_BYTES - total));
      } catch (SocketTimeoutException e) {
        return new Reply(timeoutText);
      } catch (IOException e) {
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
      total += n;
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
