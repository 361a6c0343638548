package org.minewatch.scan;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.minewatch.capture.CaptureFile;
import org.minewatch.flowrecord.IpfixFile;
import org.minewatch.flowrecord.NfdumpCsv;
import org.minewatch.io.Inputs;
import org.minewatch.logs.LogFormat;

/**
 * What a file holds, recognised from its first bytes (after gzip, where it is compressed), never
 * its name.
 */
enum InputFormat {
  PCAP,
  PCAPNG,
  IPFIX,
  NFDUMP_CSV,
  ZEEK_TSV,
  ZEEK_JSON,
  SURICATA_EVE,
  UNKNOWN;

  /**
   * At most this much of a file is read to recognise it: a binary file without newlines is not read
   * whole.
   */
  static final int HEAD = 4096;

  static InputFormat of(Path file) {
    return of(Inputs.head(file, HEAD));
  }

  /** The format of content whose first (decompressed) bytes are {@code head}. */
  static InputFormat of(byte[] head) {
    CaptureFile.Format capture = CaptureFile.sniff(head, head.length);
    if (capture == CaptureFile.Format.PCAP) {
      return PCAP;
    }
    if (capture == CaptureFile.Format.PCAPNG) {
      return PCAPNG;
    }
    if (IpfixFile.sniff(head)) {
      return IPFIX;
    }
    String text = new String(head, StandardCharsets.UTF_8);
    int eol = text.indexOf('\n');
    String first = eol >= 0 ? text.substring(0, eol) : text;
    if (NfdumpCsv.sniff(first)) {
      return NFDUMP_CSV;
    }
    LogFormat log = LogFormat.sniff(first);
    if (log == null) {
      return UNKNOWN;
    }
    return switch (log) {
      case ZEEK_TSV -> ZEEK_TSV;
      case ZEEK_JSON -> ZEEK_JSON;
      case SURICATA_EVE -> SURICATA_EVE;
    };
  }

  LogFormat logFormat() {
    return switch (this) {
      case ZEEK_TSV -> LogFormat.ZEEK_TSV;
      case ZEEK_JSON -> LogFormat.ZEEK_JSON;
      case SURICATA_EVE -> LogFormat.SURICATA_EVE;
      default -> null;
    };
  }
}
