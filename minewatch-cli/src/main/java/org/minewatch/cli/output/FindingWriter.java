package org.minewatch.cli.output;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import org.minewatch.attribution.Attribution;
import org.minewatch.evidence.Finding;
import org.minewatch.model.IpAddress;
import org.minewatch.operation.Operation;

/** Writes findings, and the operations they belong to, in one output format. */
public interface FindingWriter {
  /**
   * @param attributions unit, place and assessment by host; empty where nothing is known
   */
  void write(
      List<Finding> findings,
      List<Operation> operations,
      Map<IpAddress, Attribution> attributions,
      Writer out)
      throws IOException;

  default void write(List<Finding> findings, List<Operation> operations, Writer out)
      throws IOException {
    write(findings, operations, Map.of(), out);
  }

  static FindingWriter of(String format) {
    return switch (format) {
      case "table" -> new TableWriter();
      case "jsonl" -> new JsonLinesWriter();
      case "csv" -> new CsvWriter();
      default ->
          throw new IllegalArgumentException(
              "unknown format: " + format + " (table, jsonl or csv)");
    };
  }
}
