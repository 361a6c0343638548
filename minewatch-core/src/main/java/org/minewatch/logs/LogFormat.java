package org.minewatch.logs;

/** The sensor log formats read, recognised from a file's first line. */
public enum LogFormat {
  ZEEK_TSV,
  ZEEK_JSON,
  SURICATA_EVE;

  /** The format of a file starting with {@code firstLine}, or null if it is none of these. */
  public static LogFormat sniff(String firstLine) {
    if (firstLine == null) {
      return null;
    }
    String t = firstLine.strip();
    if (t.startsWith("#separator")) {
      return ZEEK_TSV;
    }
    if (t.startsWith("{")) {
      if (t.contains("\"event_type\"")) {
        return SURICATA_EVE;
      }
      if (t.contains("\"uid\"") && t.contains("\"id.orig_h\"")) {
        return ZEEK_JSON;
      }
    }
    return null;
  }
}
