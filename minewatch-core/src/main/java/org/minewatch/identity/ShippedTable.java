package org.minewatch.identity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The rows of a comma-separated table shipped beside these classes: "#" lines are comments. */
final class ShippedTable {
  private ShippedTable() {}

  static List<String[]> rows(String resource) {
    List<String[]> out = new ArrayList<>();
    try (InputStream in = ShippedTable.class.getResourceAsStream(resource);
        BufferedReader r =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank() && !line.startsWith("#")) {
          out.add(line.split(","));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(resource + ": " + e.getMessage(), e);
    }
    return out;
  }
}
