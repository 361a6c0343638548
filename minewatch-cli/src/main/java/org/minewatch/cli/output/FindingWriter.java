package org.minewatch.cli.output;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import org.minewatch.evidence.Finding;
import org.minewatch.operation.Operation;

/** Writes findings, and the operations they belong to, in one output format. */
public interface FindingWriter {
  void write(List<Finding> findings, List<Operation> operations, Writer out) throws IOException;

  static FindingWriter of(String format) {
    return switch (format) {
      case "table" -> new TableWriter();
      case "jsonl" -> new JsonLinesWriter();
      case "csv" -> new CsvWriter();
      default -> throw new IllegalArgumentException("unknown format: " + format + " (table, jsonl or csv)");
    };
  }
}
