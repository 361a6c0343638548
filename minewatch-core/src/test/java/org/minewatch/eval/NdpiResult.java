package org.minewatch.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The per-flow lines of an nDPI {@code ndpiReader} result file ({@code .out}). */
record NdpiResult(List<Flow> flows) {

  /** One flow as nDPI printed it. */
  record Flow(
      String transport,
      String client,
      String server,
      String protocol,
      String category,
      String currency) {
    boolean mining() {
      return category.equals("Mining");
    }

    boolean crypto() {
      return category.equals("Crypto_Currency");
    }

    String clientHost() {
      return host(client);
    }

    String serverHost() {
      return host(server);
    }

    private static String host(String endpoint) {
      int colon = endpoint.lastIndexOf(':');
      String h = endpoint.substring(0, colon);
      return h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
    }
  }

  private static final Pattern LINE =
      Pattern.compile(
          "^\\s+\\d+\\s+(TCP|UDP)\\s+(\\S+)\\s+<?->\\s+(\\S+)\\s+\\[proto: [\\d.]+/([^\\]]+)\\].*?\\[cat: ([^/\\]]+)/\\d+\\]");
  private static final Pattern CURRENCY = Pattern.compile("\\[currency: ([^\\]]+)\\]");

  static NdpiResult read(Path out) throws IOException {
    List<Flow> flows = new ArrayList<>();
    for (String line : Files.readAllLines(out, StandardCharsets.ISO_8859_1)) {
      Matcher m = LINE.matcher(line);
      if (!m.find()) {
        continue;
      }
      Matcher c = CURRENCY.matcher(line);
      flows.add(
          new Flow(
              m.group(1),
              m.group(2),
              m.group(3),
              m.group(4),
              m.group(5),
              c.find() ? c.group(1) : null));
    }
    return new NdpiResult(flows);
  }

  long count(java.util.function.Predicate<Flow> p) {
    return flows.stream().filter(p).count();
  }
}
