package org.minewatch.cli.push;

import java.util.ArrayList;
import java.util.List;

/** Made-up finding lines, each with its own host. */
final class Findings {
  private Findings() {}

  /** {@code n} lines for hosts {@code 10.<net>.x.y}. */
  static List<String> lines(int net, int n) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      lines.add(
          "{\"host\":\"10."
              + net
              + "."
              + i / 256
              + "."
              + i % 256
              + "\",\"role\":\"miner\",\"verdict\":\"mining\","
              + "\"coin\":\"monero\",\"protocol\":\"stratum-xmr\"}");
    }
    return lines;
  }

  /** The lines of a batch body. */
  static List<String> of(byte[] body) {
    String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }
}
