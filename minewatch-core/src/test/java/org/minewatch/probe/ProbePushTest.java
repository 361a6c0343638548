package org.minewatch.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.minewatch.detect.json.JsonTree;
import org.minewatch.testkit.pools.LineServer;

/**
 * A pool's push confirms a pool only if it is well-shaped and the dialect's own request was
 * answered with its id and no error: otherwise any server could turn its clients into miners.
 */
class ProbePushTest {
  private static final String XMR_JOB_RESULT =
      "\"result\":{\"id\":\"b7e4c1a0\",\"job\":{\"blob\":\"1010"
          + "ab".repeat(37)
          + "00000000"
          + "cd".repeat(33)
          + "01\",\"job_id\":\"271828\",\"target\":\"b88d0600\","
          + "\"algo\":\"rx/0\"},\"status\":\"OK\"}";
  private static final String NOTIFY =
      "{\"id\":null,\"method\":\"mining.notify\",\"params\":[\"4d2\",\""
          + "00".repeat(28)
          + "1a2b3c4d\",\"0100000001\",\"ffffffff01\",[],\"20000000\",\"1703a30c\",\"65f1a2b3\",true]}";

  private static String idOf(String line) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"id\":(\\d+)").matcher(line);
    return m.find() ? m.group(1) : "null";
  }

  private static ProbeResult probe(Function<String, String> responder) throws Exception {
    try (LineServer server = LineServer.start(null, responder)) {
      return ProbeFixtures.loopbackProber().probe(ProbeFixtures.loopback(server.port()));
    }
  }

  private static Map<?, ?> json(String text) throws Exception {
    byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return (Map<?, ?>) JsonTree.parse(b, 0, b.length);
  }

  @Test
  void onlyWellShapedPushesArePoolAnswers() throws Exception {
    assertThat(PoolReplyJudge.poolAnswer(json(NOTIFY)))
        .isEqualTo("mining.notify (Bitcoin-style job (coinbase parts " + "and merkle branch))");
    assertThat(
            PoolReplyJudge.poolAnswer(
                json("{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[8192]}")))
        .isEqualTo("mining.set_difficulty");
    assertThat(
            PoolReplyJudge.poolAnswer(
                json(
                    "{\"method\":\"mining.set_target\",\"params\":[\"" + "0f".repeat(32) + "\"]}")))
        .isEqualTo("mining.set_target (256-bit share target)");
    for (String bad :
        new String[] {
          "{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[]}",
          "{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[0]}",
          "{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[-1.5]}",
          "{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[\"8192\"]}",
          "{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[1,2]}",
          "{\"id\":null,\"method\":\"mining.notify\",\"params\":[]}",
          "{\"id\":null,\"method\":\"mining.notify\",\"params\":[\"job\",\"x\",\"y\"]}",
          NOTIFY.replace("\"4d2\"", "\"not hex\""),
          NOTIFY.replace("[],", "[\"zz\"],"),
          NOTIFY.replace(",true]", ",\"yes\"]"),
          "{\"method\":\"mining.set_target\",\"params\":[\"ff\"]}",
          "{\"method\":\"mining.set_extranonce\",\"params\":[\"08000002\",4]}"
        }) {
      assertThat(PoolReplyJudge.poolAnswer(json(bad))).as(bad).isNull();
    }
  }

  @Test
  void aServerPushingAnEmptyDifficultyOnEveryLineIsNotAPool() throws Exception {
    ProbeResult r =
        probe(line -> "{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[]}\n");
    assertThat(r.pool()).isFalse();
    assertThat(r.attempts().subList(1, r.attempts().size()))
        .containsExactly(
            "stratum-v1 in clear: mining.subscribe: no answer within 1.0 s",
            "stratum-xmr in clear: login: no answer within 1.0 s",
            "eth-proxy in clear: eth_submitLogin: no answer within 1.0 s");
  }

  @Test
  void aNotifyWithEmptyParametersIsNotAPool() throws Exception {
    ProbeResult r =
        probe(
            line ->
                "{\"id\":null,\"method\":\"mining.notify\",\"params\":[]}\n"
                    + "{\"id\":"
                    + idOf(line)
                    + ",\"result\":true,\"error\":null}\n");
    assertThat(r.pool()).isFalse();
    assertThat(r.attempts().subList(1, r.attempts().size()))
        .containsExactly(
            "stratum-v1 in clear: mining.subscribe: result true; mining.authorize: result true",
            "stratum-xmr in clear: login: result true",
            "eth-proxy in clear: eth_submitLogin: result true; eth_getWork: result true");
  }

  @Test
  void aPushBeforeOrAfterAnErrorConfirmsNothing() throws Exception {
    String error = "{\"id\":%s,\"result\":null,\"error\":[20,\"Unknown method\",null]}\n";
    ProbeResult before = probe(line -> NOTIFY + "\n" + error.formatted(idOf(line)));
    assertThat(before.pool()).isFalse();
    assertThat(before.attempts().get(1))
        .isEqualTo(
            "stratum-v1 in clear: pushed mining.notify (Bitcoin-style job "
                + "(coinbase parts and merkle branch)); mining.subscribe: error [20, Unknown method, null]; pushed "
                + "mining.notify (Bitcoin-style job (coinbase parts and merkle branch)); mining.authorize: error [20, Unknown "
                + "method, null]");
    ProbeResult after = probe(line -> error.formatted(idOf(line)) + NOTIFY + "\n");
    assertThat(after.pool()).isFalse();
    assertThat(after.attempts()).hasSize(4);
  }

  @Test
  void aReplyWithTheWrongIdConfirmsNothing() throws Exception {
    ProbeResult r =
        probe(line -> "{\"id\":7,\"jsonrpc\":\"2.0\",\"error\":null," + XMR_JOB_RESULT + "}\n");
    assertThat(r.pool()).isFalse();
    assertThat(r.attempts().subList(1, r.attempts().size()))
        .containsExactly(
            "stratum-v1 in clear: mining.subscribe: answered with id 7, not 1",
            "stratum-xmr in clear: login: answered with id 7, not 1",
            "eth-proxy in clear: eth_submitLogin: answered with id 7, not 1");
  }

  @Test
  void aJobAnsweredWithAnErrorBesideItConfirmsNothing() throws Exception {
    ProbeResult r =
        probe(
            line ->
                "{\"id\":"
                    + idOf(line)
                    + ",\"jsonrpc\":\"2.0\",\"error\":{\"code\":-1},"
                    + XMR_JOB_RESULT
                    + "}\n");
    assertThat(r.pool()).isFalse();
  }

  @Test
  void aWellShapedPushAfterAnAcceptedRequestConfirms() throws Exception {
    ProbeResult r =
        probe(line -> NOTIFY + "\n{\"id\":" + idOf(line) + ",\"result\":true,\"error\":null}\n");
    assertThat(r.pool()).isTrue();
    String pushed = "pushed mining.notify (Bitcoin-style job (coinbase parts and merkle branch))";
    assertThat(r.confirmation().answer())
        .isEqualTo(
            pushed
                + "; mining.subscribe: result true; "
                + pushed
                + "; mining.authorize: result true");
  }
}
