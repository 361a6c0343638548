package org.minewatch.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.model.Algorithm;
import org.minewatch.model.Coin;
import org.minewatch.model.Endpoint;
import org.minewatch.model.IpAddress;
import org.minewatch.model.Protocol;
import org.minewatch.testkit.pools.LineServer;

/**
 * A server's text reaches the evidence, the terminal and results.tsv escaped and capped, and is
 * stored reversibly.
 */
class ProbeTextTest {
  @TempDir Path dir;

  /**
   * XMRig's login answered with a job whose algorithm clears the screen and breaks lines, tabs and
   * attempts.
   */
  private static final String HOSTILE_ALGO = "rx/0\\u001b[2J\\n\\tx | y";

  private static String hostileXmrPool(String line) {
    if (!line.contains("\"method\":\"login\"")) {
      return "{\"id\":1,\"jsonrpc\":\"2.0\",\"error\":{\"code\":-1,\"message\":\"Invalid method\"}}\n";
    }
    return "{\"id\":1,\"jsonrpc\":\"2.0\",\"error\":null,\"result\":{\"id\":\"b7e4c1a0\",\"job\":{\"blob\":\"1010"
        + "ab".repeat(37)
        + "00000000"
        + "cd".repeat(33)
        + "01\",\"job_id\":\"271828\",\"target\":\"b88d0600\","
        + "\"algo\":\""
        + HOSTILE_ALGO
        + "\"},\"status\":\"OK\"}}\n";
  }

  @Test
  void controlFormatAndSeparatorCharactersAreEscapedAndLengthsCapped() {
    assertThat(ProbeText.escape("a\u001b[2J\n\tb\u202ec\u200bd\u2028e\u2029f\u007f\u0085g"))
        .isEqualTo("a\\u001b[2J\\u000a\\u0009b\\u202ec\\u200bd\\u2028e\\u2029f\\u007f\\u0085g");
    assertThat(ProbeText.escape("plain text, \"quoted\" and ünïcödé"))
        .isEqualTo("plain text, \"quoted\" and ünïcödé");
    assertThat(ProbeText.item("x".repeat(80))).isEqualTo("x".repeat(80));
    assertThat(ProbeText.item("x".repeat(81))).isEqualTo("x".repeat(79) + "…");
    assertThat(ProbeText.item("\u001b".repeat(20)))
        .isEqualTo("\\u001b".repeat(13) + "…"); // 78 + 1: no escape cut
    assertThat(ProbeText.exchange("y".repeat(600))).isEqualTo("y".repeat(511) + "…");
    String once = ProbeText.item("\u001b[31mred");
    assertThat(ProbeText.item(once)).isEqualTo(once).isEqualTo("\\u001b[31mred");
  }

  @Test
  void aPoolsHostileAlgorithmIsEscapedInTheEvidenceAndStoredExactly() throws Exception {
    try (LineServer pool = LineServer.start(null, ProbeTextTest::hostileXmrPool)) {
      ProbeResult r = ProbeFixtures.loopbackProber().probe(ProbeFixtures.loopback(pool.port()));
      String answer =
          "login: login accepted with a job (target b88d0600, algorithm rx/0\\u001b[2J\\u000a\\u0009x | y)";
      assertThat(r.confirmation())
          .isEqualTo(
              new Confirmation(
                  Protocol.STRATUM_XMR,
                  Wire.CLEAR,
                  answer,
                  null,
                  null,
                  Algorithm.RANDOMX,
                  "its work for the probe: no coin, algorithm randomx"));
      assertThat(r.attempts()).last().isEqualTo("stratum-xmr in clear: " + answer);
      assertThat(r.sentence())
          .endsWith(
              "(stratum-xmr, clear, answered: "
                  + answer
                  + "; its work for the probe: no coin, algorithm randomx)")
          .doesNotContain("\u001b", "\n", "\t");
      assertThat(r.summary()).doesNotContain("\u001b", "\n", "\t");

      Path file = dir.resolve("results.tsv");
      ProbeMemory m = ProbeMemory.load(file, Duration.ofHours(1));
      m.remember(r);
      m.save();
      List<String> lines = Files.readAllLines(file);
      assertThat(lines).hasSize(2);
      assertThat(lines.get(1).split("\t", -1)).hasSize(10);
      ProbeMemory again = ProbeMemory.load(file, Duration.ofHours(1));
      assertThat(again.problems()).isEmpty();
      assertThat(again.recent(r.endpoint(), r.time())).contains(r);
    }
  }

  @Test
  void everyTextIsReadBackExactlyFromTheFile() {
    Endpoint e = new Endpoint(IpAddress.parse("192.0.2.10"), 3333);
    List<String> attempts =
        List.of("a | b", "back\\slash \\n \\| \\\\", "tab\tnew\nline\rcr", "", "x |", "| y");
    ProbeResult r =
        new ProbeResult(
            e,
            Instant.parse("2025-03-01T08:00:00Z"),
            new Confirmation(
                Protocol.STRATUM_V1,
                Wire.TLS,
                "an | answer \\ with\ttabs",
                "ab12",
                Coin.BITCOIN_CASH,
                Algorithm.SHA256D,
                "a | clue \\ with\ttabs\nand lines"),
            attempts);
    String line = ProbeMemory.format(r);
    assertThat(line.split("\t", -1)).hasSize(10);
    assertThat(line).doesNotContain("\n", "\r");
    assertThat(ProbeMemory.parse(line)).isEqualTo(r);
  }
}
