package org.minewatch.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.evidence.Finding;
import org.minewatch.model.Role;
import org.minewatch.scan.Fixtures;
import org.minewatch.testkit.MiningSessions;
import org.minewatch.testkit.TrafficBuilder;

class OperationGrouperTest {
  private static final String WALLET =
      "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";

  @TempDir Path dir;

  @Test
  void minersSharingAWalletOrAnAccountOnOnePoolAreOneOperation() {
    Random r = new Random(3);
    TrafficBuilder t = new TrafficBuilder(Instant.parse("2021-03-01T02:00:00Z"));
    // Three servers in different networks, one wallet, two pools: a botnet's shape.
    MiningSessions.xmrig(
        t, "10.1.0.5", 40001, "203.0.113.50", 443, WALLET + ".web01", "XMRig/6.10.0", 1, r);
    MiningSessions.xmrig(
        t, "172.16.9.9", 40002, "203.0.113.50", 443, WALLET + ".db02", "XMRig/6.10.0", 1, r);
    MiningSessions.xmrig(
        t, "192.168.77.3", 40003, "198.51.100.60", 3333, WALLET, "XMRig/6.10.0", 1, r);
    // One account name on one pool from two hosts; the same name on another pool is someone else.
    MiningSessions.stratumV1(
        t, "10.2.0.1", 40004, "198.51.100.70", 3333, "cgminer/4.12.1", "alice.rig1", 1, r);
    MiningSessions.stratumV1(
        t, "10.2.0.2", 40005, "198.51.100.70", 3333, "cgminer/4.12.1", "alice.rig2", 1, r);
    MiningSessions.stratumV1(
        t, "10.3.0.1", 40006, "198.51.100.80", 3333, "cgminer/4.12.1", "alice.rig1", 1, r);
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    var ops = s.result().operations();
    assertThat(ops)
        .extracting(
            Operation::keyKind, Operation::key, o -> o.miners().size(), o -> o.pools().size())
        .containsExactly(
            tuple("wallet", WALLET, 3, 2),
            tuple("account", "alice@198.51.100.70", 2, 1),
            tuple("account", "alice@198.51.100.80", 1, 1));
    Operation botnet = ops.get(0);
    assertThat(botnet.miners())
        .extracting(Object::toString)
        .containsExactly("10.1.0.5", "172.16.9.9", "192.168.77.3");
    assertThat(botnet.multiHost()).isTrue();
    assertThat(botnet.id()).matches("op-[0-9a-f]{8}");
    for (String host : new String[] {"10.1.0.5", "172.16.9.9", "192.168.77.3"}) {
      assertThat(s.only(host, Role.MINER).operation()).isEqualTo(botnet.id());
    }
    assertThat(s.findings())
        .filteredOn(f -> f.role() == Role.POOL)
        .extracting(Finding::operation)
        .containsOnlyNulls();
    assertThat(botnet.farm()).isFalse(); // three networks: not one site
    // The id depends only on the key: another scan names the same operation the same way.
    assertThat(OperationGrouper.group(s.findings()).operations().get(0).id())
        .isEqualTo(botnet.id());
  }

  @Test
  void manyMinersOfOneAccountInOneNetworkAreAFarmWhosePowerCountsTheSiteOverhead() {
    Random r = new Random(11);
    TrafficBuilder t = new TrafficBuilder(Instant.parse("2021-03-01T02:00:00Z"));
    for (int i = 1; i <= 3; i++) {
      org.minewatch.testkit.SimulatedMiner.session(
          t,
          org.minewatch.testkit.SimulatedMiner.Dialect.XMRIG,
          "10.9.1." + i,
          41000 + i,
          "203.0.113.60",
          3000,
          200,
          r);
    }
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    Operation farm = s.result().operations().get(0);
    assertThat(farm.farm()).isTrue();
    assertThat(farm.miners()).hasSize(3);
    for (int i = 1; i <= 3; i++) {
      Finding f = s.only("10.9.1." + i, Role.MINER);
      assertThat(f.power().basis()).endsWith("; PUE 1.1");
      assertThat(f.power().bestWatts())
          .isCloseTo(
              f.hashRate().value() * 0.025 * 1.1, org.assertj.core.api.Assertions.within(1e-9));
    }
    assertThat(farm.powerWatts())
        .isCloseTo(
            s.findings().stream()
                .filter(f -> f.role() == Role.MINER)
                .mapToDouble(f -> f.power().bestWatts())
                .sum(),
            org.assertj.core.api.Assertions.within(1e-9));
  }
}
