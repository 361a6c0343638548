package org.minewatch.flowrecord;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Reads an IPFIX file (RFC 5655): IPFIX messages one after another, each with its own length. A
 * message that cannot be decoded is reported with its byte offset and skipped; a length that breaks
 * the framing ends the file there, since no later message boundary can be trusted.
 */
public final class IpfixFile {
  private IpfixFile() {}

  /** Receives what could not be read. */
  public interface Problems {
    void problem(String text);
  }

  /**
   * True for bytes that start an IPFIX message: version 10, then a set header that fits the
   * message.
   */
  public static boolean sniff(byte[] head) {
    if (head.length < 20 || ExportDecoder.u16(head, 0) != 10) {
      return false;
    }
    int length = ExportDecoder.u16(head, 2);
    int setId = ExportDecoder.u16(head, 16);
    int setLength = ExportDecoder.u16(head, 18);
    return length >= 20
        && (setId == 2 || setId == 3 || setId >= 256)
        && setLength >= 4
        && setLength <= length - 16;
  }

  /** Reads every message; returns the records delivered. */
  public static long read(
      String source,
      InputStream in,
      ExportDecoder decoder,
      Consumer<FlowRecord> out,
      Problems problems)
      throws IOException {
    return readInto(source, in, decoder, v -> out.accept(v.toRecord()), problems);
  }

  /**
   * Reads every message into {@code out}'s reused view (no allocation per record), the file in
   * large reads; returns the records delivered.
   */
  public static long readInto(
      String source, InputStream in, ExportDecoder decoder, FlowSink out, Problems problems)
      throws IOException {
    Window w = new Window(in);
    long delivered = 0;
    while (true) {
      int n = w.fill(4);
      if (n == 0) {
        return delivered;
      }
      if (n < 4) {
        problems.problem(source + ": byte " + w.offset + ": file ends inside a message header");
        return delivered;
      }
      int version = ExportDecoder.u16(w.bytes, w.start);
      int length = ExportDecoder.u16(w.bytes, w.start + 2);
      if (version != 10 || length < 16) {
        problems.problem(
            source
                + ": byte "
                + w.offset
                + ": not an IPFIX message (version "
                + version
                + ", length "
                + length
                + "); the rest of the file is skipped");
        return delivered;
      }
      if (w.fill(length) < length) {
        problems.problem(
            source + ": byte " + w.offset + ": file ends inside a message of " + length + " bytes");
        return delivered;
      }
      try {
        delivered += decoder.decodeInto(source, source, w.bytes, w.start, length, out);
      } catch (ExportFormatException e) {
        problems.problem(e.getMessage() + " (the message at byte " + w.offset + " of the file)");
      }
      w.start += length;
      w.offset += length;
    }
  }

  /** A large buffer over the stream: messages are decoded where they lie, read many at a time. */
  private static final class Window {
    /** Many messages a read; at least one of the largest (65,535 bytes). */
    private static final int SIZE = 1 << 20;

    private final InputStream in;
    final byte[] bytes = new byte[SIZE];
    int start;
    private int limit;

    /** The file offset of {@code bytes[start]}. */
    long offset;

    Window(InputStream in) {
      this.in = in;
    }

    /**
     * Makes at least {@code need} bytes available from {@code start}, unless the stream ends first;
     * returns how many there are. Reads whatever the stream has, not only what is needed.
     */
    int fill(int need) throws IOException {
      if (limit - start >= need) {
        return limit - start;
      }
      System.arraycopy(bytes, start, bytes, 0, limit - start);
      limit -= start;
      start = 0;
      while (limit < need) {
        int n = in.read(bytes, limit, bytes.length - limit);
        if (n < 0) {
          break;
        }
        limit += n;
      }
      return limit;
    }
  }
}
