package org.minewatch.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.minewatch.evidence.Finding;
import org.minewatch.model.Protocol;
import org.minewatch.model.Role;
import org.minewatch.model.Verdict;
import org.minewatch.testkit.BehaviourTraffic;
import org.minewatch.testkit.TrafficBuilder;

/**
 * Encrypted connections, rendered as TLS over TCP packets from the generator with seeds the model
 * was not trained on, through the whole engine: mining shapes become {@code likely} findings that
 * say what decided them; the others stay unreported.
 */
class BehaviourDetectionTest {
  @TempDir Path dir;

  private Fixtures.Scan scanOne(String kind, long seed) {
    Random r = new Random(seed);
    TrafficBuilder t = new TrafficBuilder(Instant.parse("2021-06-01T00:00:00Z"));
    BehaviourTraffic.LabelledFlow flow =
        BehaviourTraffic.generate(kind, r, t.nowNanos() + 1_000_000_000L);
    BehaviourTraffic.render(flow, t, "10.9.0.5", 51000, "198.51.100.77", 443, r);
    return Fixtures.scan(dir, t.frames());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"xmrig-tls", "stratum-v1-tls", "ethash-stratum-tls", "high-share-rate-tls"})
  void miningOverTlsIsLikelyFromItsShapeAlone(String kind) {
    Fixtures.Scan s = scanOne(kind, 9001);
    Finding miner = s.only("10.9.0.5", Role.MINER);
    assertThat(miner.verdict()).isEqualTo(Verdict.LIKELY);
    assertThat(miner.protocol()).isEqualTo(Protocol.MINING_BEHAVIOUR);
    assertThat(miner.peers()).extracting(Object::toString).containsExactly("198.51.100.77:443");
    assertThat(miner.flows()).isEqualTo(1);
    // Judged at a checkpoint before the pool's first pushed job, a session is suspect first; the
    // judgement that makes it likely is the last.
    assertThat(miner.evidence())
        .last()
        .asString()
        .startsWith(
            "TCP 10.9.0.5:51000 -> 198.51.100.77:443 at 2021-06-01T00:00:01Z: shaped like a mining session "
                + "(behaviour model score ")
        .contains("; decided most by ")
        .doesNotContain("no job pushed yet");
    assertThat(miner.evidence().subList(0, miner.evidence().size() - 1))
        .allSatisfy(e -> assertThat(e).endsWith("; no job pushed yet, so suspect, not likely"));
    assertThat(s.only("198.51.100.77", Role.POOL).verdict()).isEqualTo(Verdict.LIKELY);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "chat",
        "push-notifications",
        "mqtt-publisher",
        "mqtt-subscriber",
        "mqtt-events",
        "ssh-interactive",
        "vpn-keepalive",
        "live-ticker",
        "imap-idle",
        "rpc-poll"
      })
  void otherLongLivedEncryptedConnectionsAreNotReported(String kind) {
    assertThat(scanOne(kind, 9001).findings()).isEmpty();
  }

  /**
   * A heartbeat agent's kept-alive HTTPS connection, as recorded in docs/evaluation.md: a 299-byte
   * POST at exponentially spaced times (mean 4 s), each answered at once with a 141-byte 204, no
   * message pushed but the TLS closing alert at the end. Shaped like shares with no job yet: only
   * suspect, once, and the alert, smaller than the answers, is not taken for a job.
   */
  @Test
  void answeredPostsAtRandomTimesWithNoJobPushedAreOnlySuspect() {
    Random r = new Random(7);
    TrafficBuilder t = new TrafficBuilder(Instant.parse("2021-06-01T00:00:00Z"));
    long start = t.nowNanos() + 1_000_000_000L;
    List<BehaviourTraffic.Packet> packets = new ArrayList<>();
    packets.add(new BehaviourTraffic.Packet(start, true, 297));
    packets.add(new BehaviourTraffic.Packet(start + 1_000_000, false, 1349));
    packets.add(new BehaviourTraffic.Packet(start + 2_000_000, true, 379));
    packets.add(new BehaviourTraffic.Packet(start + 3_000_000, false, 651));
    for (double at = 0.3; at < 170; at += -4 * Math.log(1 - r.nextDouble())) {
      long n = start + (long) (at * 1e9);
      packets.add(new BehaviourTraffic.Packet(n, true, 299));
      packets.add(new BehaviourTraffic.Packet(n + 2_000_000, false, 141));
    }
    packets.add(new BehaviourTraffic.Packet(start + 175_000_000_000L, false, 24));
    BehaviourTraffic.render(
        new BehaviourTraffic.LabelledFlow("heartbeat", false, packets),
        t,
        "10.9.0.6",
        52000,
        "198.51.100.80",
        443,
        r);
    Finding agent = Fixtures.scan(dir, t.frames()).only("10.9.0.6", Role.MINER);
    assertThat(agent.verdict()).isEqualTo(Verdict.SUSPECT);
    assertThat(agent.evidence())
        .singleElement()
        .asString()
        .contains("judged while open, after 30 s")
        .endsWith("; no job pushed yet, so suspect, not likely");
  }
}
