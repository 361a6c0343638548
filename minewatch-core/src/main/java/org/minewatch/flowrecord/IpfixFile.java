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
    byte[] message = new byte[65535];
    long offset = 0;
    long delivered = 0;
    while (true) {
      int n = in.readNBytes(message, 0, 4);
      if (n == 0) {
        return delivered;
      }
      if (n < 4) {
        problems.problem(source + ": byte " + offset + ": file ends inside a message header");
        return delivered;
      }
      int version = ExportDecoder.u16(message, 0);
      int length = ExportDecoder.u16(message, 2);
      if (version != 10 || length < 16) {
        problems.problem(
            source
                + ": byte "
                + offset
                + ": not an IPFIX message (version "
                + version
                + ", length "
                + length
                + "); the rest of the file is skipped");
        return delivered;
      }
      int body = in.readNBytes(message, 4, length - 4);
      if (body < length - 4) {
        problems.problem(
            source + ": byte " + offset + ": file ends inside a message of " + length + " bytes");
        return delivered;
      }
      try {
        delivered += decoder.decode(source, message, 0, length, out);
      } catch (ExportFormatException e) {
        problems.problem(e.getMessage() + " (the message at byte " + offset + " of the file)");
      }
      offset += length;
    }
  }
}
