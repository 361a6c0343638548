package org.minewatch.attribution.assess;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.minewatch.attribution.MiningHost;
import org.minewatch.attribution.registry.Unit;
import org.minewatch.attribution.registry.UnitCategory;
import org.minewatch.model.IpAddress;

class AssessorTest {
  private static final String WALLET =
      "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";

  /** Tuesday 2021-11-09 10:00 in Shanghai: working hours. */
  private static final Instant DAY = Instant.parse("2021-11-09T02:00:00Z");

  private final Assessor assessor = new Assessor(Set.of("C3Pool"), ZoneId.of("Asia/Shanghai"));
  private final Map<IpAddress, Unit> units = new HashMap<>();

  private static Unit unit(String name, UnitCategory c) {
    return new Unit(name, null, c, "320100", "南京市", null, null);
  }

  private static MiningHost miner(
      String host,
      String agent,
      String wallet,
      String login,
      String worker,
      String pool,
      List<String> peers,
      boolean tls,
      Instant first,
      String algorithm,
      Double hashrate) {
    // The operation as the scan's grouping names it: one per wallet, else per account on its pool.
    String operation =
        wallet != null ? "op-" + wallet : login != null ? "op-" + login + "@" + pool : null;
    return new MiningHost(
        IpAddress.parse(host),
        "miner",
        "mining",
        "monero",
        "stratum-xmr",
        peers,
        login,
        worker,
        worker == null ? List.of() : List.of(worker),
        agent,
        first,
        first,
        pool,
        wallet,
        operation,
        algorithm,
        hashrate,
        "H/s",
        null,
        tls);
  }

  private static MiningHost plain(String host, String agent) {
    return miner(
        host, agent, null, null, null, null, List.of("198.51.100.1:3333"), false, DAY, null, null);
  }

  private Assessment one(MiningHost m) {
    return assessor.assess(List.of(m), units::get).get(m.host());
  }

  @Test
  void xmrigOnAUniversityServerIsCompromise() {
    units.put(IpAddress.parse("10.1.1.1"), unit("Nanjing University", UnitCategory.UNIVERSITY));
    Assessment a = one(plain("10.1.1.1", "XMRig/6.16.4 (Linux x86_64) libuv/1.41.0 gcc/9.3.0"));
    assertThat(a.kind()).isEqualTo(Assessment.Kind.COMPROMISED);
    assertThat(a.reasons())
        .containsExactly(
            "compromise: XMRig-family miner (XMRig/6.16.4 (Linux x86_64) libuv/1.41.0 "
                + "gcc/9.3.0) on a host of Nanjing University, a university unit, where servers do not mine by design");
    // The same software at home is not a reason.
    units.put(IpAddress.parse("10.1.1.1"), unit("Home", UnitCategory.RESIDENTIAL));
    assertThat(one(plain("10.1.1.1", "XMRig/6.16.4")).kind())
        .isEqualTo(Assessment.Kind.UNDETERMINED);
  }

  @Test
  void oneWalletAcrossUnrelatedUnitsIsCompromise() {
    units.put(IpAddress.parse("10.1.1.1"), unit("City Hall", UnitCategory.GOVERNMENT));
    units.put(IpAddress.parse("10.2.2.2"), unit("Steel Works", UnitCategory.SOE));
    units.put(IpAddress.parse("10.3.3.3"), unit("A Family", UnitCategory.RESIDENTIAL));
    List<MiningHost> hosts =
        List.of(
            miner(
                "10.1.1.1",
                null,
                WALLET,
                WALLET,
                null,
                null,
                List.of("198.51.100.1:3333"),
                false,
                DAY,
                null,
                null),
            miner(
                "10.2.2.2",
                null,
                WALLET,
                WALLET,
                null,
                null,
                List.of("198.51.100.1:3333"),
                false,
                DAY,
                null,
                null),
            miner(
                "10.3.3.3",
                null,
                WALLET,
                WALLET,
                null,
                null,
                List.of("198.51.100.1:3333"),
                false,
                DAY,
                null,
                null));
    Map<IpAddress, Assessment> a = assessor.assess(hosts, units::get);
    assertThat(a.get(IpAddress.parse("10.3.3.3")).reasons())
        .containsExactly(
            "compromise: wallet "
                + WALLET
                + " is also mined to from 2 unrelated units (City Hall, Steel Works)");
    assertThat(a.values()).allMatch(x -> x.kind() == Assessment.Kind.COMPROMISED);
  }

  @Test
  void weakerSignsAddUp() {
    MiningHost m =
        miner(
            "10.9.9.9",
            "xmrig/6.18.0",
            null,
            "abc",
            "ip-10-9-9-9",
            "C3Pool",
            List.of("198.51.100.7:443"),
            true,
            Instant.parse("2021-11-08T18:14:00Z"),
            null,
            null);
    Assessment a = one(m);
    assertThat(a.kind()).isEqualTo(Assessment.Kind.COMPROMISED);
    assertThat(a.reasons())
        .containsExactly(
            "compromise: mines on C3Pool, a pool mining malware is configured for",
            "compromise: mining over TLS to port 443, hidden among web traffic",
            "compromise: worker name \"ip-10-9-9-9\" is the host's own address",
            "compromise (weak): first seen mining at 02:14 on a Tuesday (Asia/Shanghai), outside working hours");
  }

  @Test
  void workerNamesThatAreHostNamesOrRandom() {
    IpAddress h = IpAddress.parse("10.0.0.1");
    assertThat(Assessor.suspiciousWorker("web01", h)).isEqualTo("assess.worker_hostname");
    assertThat(Assessor.suspiciousWorker("db-server.corp.example", h))
        .isEqualTo("assess.worker_hostname");
    assertThat(Assessor.suspiciousWorker("x7Kq92LmZ4pT", h)).isEqualTo("assess.worker_random");
    assertThat(Assessor.suspiciousWorker("rig1", h)).isNull();
    assertThat(Assessor.suspiciousWorker("antminer-s19", h)).isNull();
    assertThat(Assessor.suspiciousWorker("10_0_0_1", h)).isEqualTo("assess.worker_address");
  }

  @Test
  void asicSoftwareAndFarmsAreDeliberate() {
    Assessment asic = one(plain("10.5.0.1", "bmminer/2.0.0"));
    assertThat(asic.kind()).isEqualTo(Assessment.Kind.DELIBERATE);
    assertThat(asic.reasons())
        .containsExactly(
            "deliberate: ASIC miner software (bmminer/2.0.0): dedicated mining " + "hardware");
    List<MiningHost> farm =
        List.of(
            miner(
                "10.6.0.1",
                "lolMiner 1.42",
                null,
                "acct",
                "r1",
                "F2Pool",
                List.of("198.51.100.2:3333"),
                false,
                DAY,
                "ethash",
                3.0e8),
            miner(
                "10.6.0.2",
                "lolMiner 1.42",
                null,
                "acct",
                "r2",
                "F2Pool",
                List.of("198.51.100.2:3333"),
                false,
                DAY,
                "ethash",
                3.1e8),
            miner(
                "10.6.0.3",
                "lolMiner 1.42",
                null,
                "acct",
                "r3",
                "F2Pool",
                List.of("198.51.100.2:3333"),
                false,
                DAY,
                "ethash",
                2.9e8));
    Map<IpAddress, Assessment> a = assessor.assess(farm, units::get);
    assertThat(a.get(IpAddress.parse("10.6.0.1")).kind()).isEqualTo(Assessment.Kind.DELIBERATE);
    assertThat(a.get(IpAddress.parse("10.6.0.1")).reasons())
        .containsExactly(
            "deliberate: 3 hosts of one /24 or /64 mine for one beneficiary (account acct on F2Pool): a farm",
            "deliberate: 3.00e+08 H/s of ethash, more than a single server does");
  }

  @Test
  void signsOnBothSidesOrTooFewStayUndetermined() {
    assertThat(one(plain("10.7.0.1", null)))
        .isEqualTo(new Assessment(Assessment.Kind.UNDETERMINED, List.<Reason>of()));
    units.put(IpAddress.parse("10.7.0.2"), unit("Bureau", UnitCategory.GOVERNMENT));
    MiningHost both =
        miner(
            "10.7.0.2",
            "xmrig bmminer",
            null,
            null,
            null,
            null,
            List.of("198.51.100.1:3333"),
            false,
            DAY,
            null,
            null);
    assertThat(one(both).kind()).isEqualTo(Assessment.Kind.UNDETERMINED);
    assertThat(one(both).reasons()).hasSize(2);
  }
}
