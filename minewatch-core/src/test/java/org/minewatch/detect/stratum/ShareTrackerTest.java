package org.minewatch.detect.stratum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.minewatch.detect.json.JsonTree;
import org.minewatch.estimate.ShareSample;
import org.minewatch.model.Algorithm;

class ShareTrackerTest {
  private static final long S = 1_000_000_000L;
  private final ShareTracker tracker = new ShareTracker();

  private void feed(String json, long seconds) throws Exception {
    byte[] b = json.getBytes(StandardCharsets.US_ASCII);
    Object v = JsonTree.parse(b, 0, b.length);
    tracker.message(v, StratumGrammar.recognise(v, false), seconds * S);
  }

  @Test
  void difficultyChangesApplyToTheSharesSubmittedAfterThemAndRejectedSharesDoNotCount()
      throws Exception {
    feed("{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"acct.rig9\",\"x\"]}", 0);
    feed("{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[1024]}", 0);
    for (int i = 0; i < 3; i++) {
      feed(
          "{\"id\":"
              + (10 + i)
              + ",\"method\":\"mining.submit\",\"params\":[\"acct.rig9\",\"j\",\"00\",\"00\",\"00\"]}",
          10 + i);
    }
    feed("{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[2048]}", 20);
    feed(
        "{\"id\":20,\"method\":\"mining.submit\",\"params\":[\"acct.rig9\",\"j\",\"00\",\"00\",\"00\"]}",
        30);
    feed(
        "{\"id\":21,\"method\":\"mining.submit\",\"params\":[\"acct.rig9\",\"j\",\"00\",\"00\",\"00\"]}",
        31);
    // Replies arrive after the difficulty changed: each share keeps the difficulty it was found at.
    feed("{\"id\":10,\"result\":true,\"error\":null}", 32);
    feed("{\"id\":11,\"result\":true,\"error\":null}", 32);
    feed("{\"id\":12,\"result\":null,\"error\":[23,\"Low difficulty share\",null]}", 32);
    feed("{\"id\":20,\"result\":true,\"error\":null}", 32);
    feed("{\"id\":21,\"result\":false,\"error\":null}", 32);
    ShareSample s = tracker.sample(Algorithm.SHA256D, 100 * S);
    assertThat(s.shares()).isEqualTo(3);
    assertThat(s.accepted()).isTrue();
    assertThat(s.work()).isEqualTo((1024.0 + 1024.0 + 2048.0) * 4294967296.0);
    assertThat(s.seconds()).isEqualTo(100.0);
    assertThat(s.worker()).isEqualTo("rig9");
  }

  @Test
  void withoutRepliesTheSubmittedSharesCountAndSaySo() throws Exception {
    feed(
        "{\"id\":1,\"jsonrpc\":\"2.0\",\"error\":null,\"result\":{\"id\":\"s\",\"job\":{\"blob\":\""
            + "10".repeat(38)
            + "\",\"job_id\":\"j\",\"target\":\"b88d0600\"},\"status\":\"OK\"}}",
        0);
    for (int i = 0; i < 4; i++) {
      feed(
          "{\"id\":"
              + (2 + i)
              + ",\"method\":\"submit\",\"params\":{\"id\":\"s\",\"job_id\":\"j\",\"nonce\":\"00000000\","
              + "\"result\":\""
              + "00".repeat(32)
              + "\"}}",
          5 + i);
    }
    ShareSample s = tracker.sample(Algorithm.RANDOMX, 50 * S);
    assertThat(s.shares()).isEqualTo(4);
    assertThat(s.accepted()).isFalse();
    assertThat(s.work()).isCloseTo(40_000.0, within(1e-6));
  }

  @Test
  void aZeroTargetIsIgnoredAndTheLastGoodOneStays() throws Exception {
    feed(
        "{\"id\":null,\"method\":\"mining.set_target\",\"params\":[\"0001"
            + "00".repeat(30)
            + "\"]}",
        0);
    feed(
        "{\"id\":null,\"method\":\"mining.set_target\",\"params\":[\"" + "00".repeat(32) + "\"]}",
        1);
    feed(
        "{\"id\":7,\"method\":\"mining.submit\",\"params\":[\"t1.w\",\"j\",\"00\",\"00\",\"00\"]}",
        2);
    feed("{\"id\":7,\"result\":true,\"error\":null}", 3);
    ShareSample s = tracker.sample(Algorithm.EQUIHASH_200_9, 10 * S);
    assertThat(s.shares()).isEqualTo(1);
    assertThat(s.work()).isCloseTo(65536.0, within(1e-9)); // 2^256 / 2^240
  }

  @Test
  void sharesBeforeAnyDifficultyIsKnownAreLeftOut() throws Exception {
    feed(
        "{\"id\":5,\"method\":\"eth_submitWork\",\"params\":[\"0x0000000000000001\",\"0x"
            + "11".repeat(32)
            + "\",\"0x"
            + "22".repeat(32)
            + "\"]}",
        0);
    feed(
        "{\"id\":0,\"jsonrpc\":\"2.0\",\"result\":[\"0x"
            + "33".repeat(32)
            + "\",\"0x"
            + "44".repeat(32)
            + "\",\"0x0000000100000000000000000000000000000000000000000000000000000000\"]}",
        1);
    feed(
        "{\"id\":6,\"method\":\"eth_submitWork\",\"params\":[\"0x0000000000000002\",\"0x"
            + "11".repeat(32)
            + "\",\"0x"
            + "22".repeat(32)
            + "\"]}",
        2);
    feed("{\"id\":5,\"result\":true}", 3);
    feed("{\"id\":6,\"result\":true}", 3);
    ShareSample s = tracker.sample(Algorithm.ETHASH, 10 * S);
    assertThat(s.shares()).isEqualTo(1);
    assertThat(s.work()).isCloseTo(Math.pow(2, 32), within(1e-3)); // 2^256 / 2^224
  }
}
