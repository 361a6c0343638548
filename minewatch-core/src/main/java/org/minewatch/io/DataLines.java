package org.minewatch.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The data lines of the project's small CSV tables (pool catalogue, power table): blank lines and
 * '#' comments skipped, each row handed over with its line number, and a row's fault reported as
 * "SOURCE: line N: reason".
 */
public final class DataLines {
  private DataLines() {}

  /** Receives one data row. */
  @FunctionalInterface
  public interface Row {
    /**
     * @throws IllegalArgumentException with the reason the row is not valid
     */
    void accept(String[] fields);
  }

  /** The data lines of a resource or file: stripped, without blank lines and '#' comments. */
  public static java.util.List<String> contentLines(InputStream in) throws IOException {
    java.util.List<String> out = new java.util.ArrayList<>();
    read(in, "", 1, f -> out.add(f[0]));
    return out;
  }

  /**
   * Splits each data line on commas into at most {@code limit} fields ({@code -1}: all, keeping
   * empty trailing fields) and hands it to {@code row}.
   *
   * @throws IllegalArgumentException naming the source and line of the first bad row
   */
  public static void read(InputStream in, String source, int limit, Row row) throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    int n = 0;
    while ((line = r.readLine()) != null) {
      n++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      try {
        row.accept(t.split(",", limit));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(source + ": line " + n + ": " + e.getMessage(), e);
      }
    }
  }
}
