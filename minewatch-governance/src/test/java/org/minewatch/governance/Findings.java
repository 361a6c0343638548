package org.minewatch.governance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * Findings as {@code minewatch scan -q -f jsonl --registry samples/demo-registry.csv
 * samples/campus-mining.pcapng} writes them (the resource {@code campus-mining.jsonl} is that
 * output, unchanged), and variants of them made by changing fields.
 */
public final class Findings {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** All eight lines of the scan: three miners, their three pools, a Bitcoin node and its peer. */
  public static final List<String> SCAN = load();

  /** 10.20.1.15, XMRig to a Monero pool: 示例大学 (university, 320100). */
  public static final String UNIVERSITY = line("10.20.1.15");

  /** 10.20.7.33, cgminer on stratum-v1: 示例市发展和改革委员会 (government, 320200). */
  public static final String GOVERNMENT = line("10.20.7.33");

  /** 192.168.40.9, an Ethereum miner: 示例家庭宽带用户 (residential, no credit code, 320500). */
  public static final String RESIDENTIAL = line("192.168.40.9");

  public static final String UNIVERSITY_CODE = "12320100MB0000012N";
  public static final String GOVERNMENT_CODE = "11320200MB00000233";
  public static final String UNIVERSITY_NAME = "示例大学 (Example University)";
  public static final String GOVERNMENT_NAME = "示例市发展和改革委员会 (Example City Development Commission)";
  public static final String RESIDENTIAL_NAME = "示例家庭宽带用户 (Example residential subscriber)";

  /** The university miner's wallet (its Monero login). */
  public static final String UNIVERSITY_WALLET =
      "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";

  private Findings() {}

  private static List<String> load() {
    try (InputStream in = Findings.class.getResourceAsStream("campus-mining.jsonl")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.isBlank())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String line(String host) {
    return SCAN.stream()
        .filter(l -> l.startsWith("{\"host\":\"" + host + "\""))
        .findFirst()
        .orElseThrow();
  }

  /** The three miners' lines, one request body. */
  public static String threeMiners() {
    return body(UNIVERSITY, GOVERNMENT, RESIDENTIAL);
  }

  public static String body(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  /** {@code line} with fields changed. */
  public static String with(String line, Consumer<ObjectNode> change) {
    try {
      ObjectNode n = (ObjectNode) JSON.readTree(line);
      change.accept(n);
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /**
   * {@code line} with one top-level field set to {@code value} (a String, Number, Boolean or null).
   */
  public static String with(String line, String field, Object value) {
    return with(line, n -> n.set(field, JSON.valueToTree(value)));
  }

  /** {@code line} moved to another address. */
  public static String host(String line, String host) {
    return with(line, "host", host);
  }

  /** {@code line} with its energy estimate replaced. */
  public static String kwh(String line, double low, double best, double high) {
    return with(
        line,
        n -> {
          ObjectNode k = n.putObject("kwh_per_day");
          k.put("low", low);
          k.put("best", best);
          k.put("high", high);
        });
  }
}
