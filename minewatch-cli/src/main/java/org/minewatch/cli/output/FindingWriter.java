package org.minewatch.cli.output;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import org.minewatch.evidence.Finding;

/** Writes findings in one output format. */
public interface FindingWriter {
  void write(List<Finding> findings, Writer out) throws IOException;

  static FindingWriter of(String format) {
    return switch (format) {
      case "table" -> new TableWriter();
      case "jsonl" -> new JsonLinesWriter();
      case "csv" -> new CsvWriter();
      default -> throw new IllegalArgumentException("unknown format: " + format + " (table, jsonl or csv)");
    };
  }
}
