package org.minewatch.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
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
    assertThat(miner.evidence())
        .singleElement()
        .asString()
        .startsWith(
            "TCP 10.9.0.5:51000 -> 198.51.100.77:443 at 2021-06-01T00:00:01Z: shaped like a mining session "
                + "(behaviour model score ")
        .contains("; decided most by ");
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
}
