package org.minewatch.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.model.Endpoint;
import org.minewatch.model.IpAddress;
import org.minewatch.model.Protocol;
import org.minewatch.testkit.MutableClock;
import org.minewatch.testkit.pools.LineServer;
import org.minewatch.testkit.pools.SimulatedPools;

/**
 * The limits that make probing safe to leave on: the allow-list, the rate limit, one probe per
 * endpoint per interval.
 */
class ProbePolicyTest {
  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T08:00:00Z"));
  private final List<Duration> slept = new ArrayList<>();
  private final ProbeRateLimit.Sleeper sleeper =
      d -> {
        slept.add(d);
        clock.advance(d);
      };

  private Prober prober(String allow, ProbeMemory memory) {
    return new Prober(
        AllowList.parse(List.of(allow)),
        new ProbeRateLimit(ProbeRateLimit.DEFAULT_SPACING, clock, sleeper),
        memory,
        clock,
        ProbeFixtures.CONNECT,
        ProbeFixtures.REPLY);
  }

  @Test
  void anEndpointOutsideTheAllowListIsRefusedWithoutAConnection() throws Exception {
    try (LineServer pool =
        LineServer.start(null, SimulatedPools.responder(SimulatedPools.Dialect.STRATUM_V1))) {
      Prober p = prober("10.0.0.0/8", ProbeMemory.inMemory(ProbeMemory.DEFAULT_INTERVAL));
      Endpoint target = ProbeFixtures.loopback(pool.port());
      assertThat(p.allows(target)).isFalse();
      assertThatThrownBy(() -> p.probe(target))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "127.0.0.1:"
                  + pool.port()
                  + " is outside the networks allowed to be probed (10.0.0.0/8)");
      assertThat(pool.connections()).isZero();
    }
  }

  @Test
  void probingNeedsAnAllowListAndReadableBlocks() {
    assertThatThrownBy(() -> AllowList.parse(List.of()))
        .hasMessage("no network is allowed to be probed: give at least one --probe-allow CIDR");
    assertThatThrownBy(() -> AllowList.parse(List.of("10.0.0.0/33")))
        .hasMessage("--probe-allow 10.0.0.0/33: the prefix length must be 0..32 for IPv4");
    assertThatThrownBy(() -> AllowList.parse(List.of("pool.example/24")))
        .hasMessage("--probe-allow pool.example/24: pool.example is not an IP address");
    assertThatThrownBy(() -> AllowList.parse(List.of("10.1.2.3/8")))
        .hasMessage(
            "--probe-allow 10.1.2.3/8: host bits are set after the /8 prefix (the network is 10.0.0.0/8)");
    assertThatThrownBy(() -> AllowList.parse(List.of("10.0.0.0/x")))
        .hasMessage("--probe-allow 10.0.0.0/x: the prefix length is not a number");
    AllowList list = AllowList.parse(List.of("192.0.2.0/25", "2001:db8::/32", "198.51.100.7"));
    assertThat(list.allows(IpAddress.parse("192.0.2.127"))).isTrue();
    assertThat(list.allows(IpAddress.parse("192.0.2.128"))).isFalse();
    assertThat(list.allows(IpAddress.parse("2001:db8:ffff::1"))).isTrue();
    assertThat(list.allows(IpAddress.parse("2001:db9::1"))).isFalse();
    assertThat(list.allows(IpAddress.parse("198.51.100.7"))).isTrue();
    assertThat(list.allows(IpAddress.parse("198.51.100.8"))).isFalse();
  }

  @Test
  void connectionsAreSpacedOneSecondApartOverall() throws Exception {
    try (LineServer a =
            LineServer.start(null, SimulatedPools.responder(SimulatedPools.Dialect.STRATUM_V1));
        LineServer b =
            LineServer.start(null, SimulatedPools.responder(SimulatedPools.Dialect.XMRIG))) {
      Prober p = prober("127.0.0.0/8", ProbeMemory.inMemory(ProbeMemory.DEFAULT_INTERVAL));
      p.probe(ProbeFixtures.loopback(a.port())); // TLS, then v1 in clear: 2 connections
      p.probe(ProbeFixtures.loopback(b.port())); // TLS, v1, then XMRig in clear: 3 connections
      assertThat(a.connections() + b.connections()).isEqualTo(5);
      // The first connection goes at once; each of the other four waits for the second to pass.
      assertThat(slept).hasSize(4).allSatisfy(d -> assertThat(d).isEqualTo(Duration.ofSeconds(1)));
    }
  }

  @Test
  void anEndpointIsProbedOncePerIntervalAndItsResultRemembered() throws Exception {
    try (LineServer pool =
        LineServer.start(null, SimulatedPools.responder(SimulatedPools.Dialect.ETH_PROXY))) {
      Prober p = prober("127.0.0.0/8", ProbeMemory.inMemory(Duration.ofHours(1)));
      Endpoint target = ProbeFixtures.loopback(pool.port());
      ProbeResult first = p.probe(target);
      int connections = pool.connections();
      assertThat(first.pool()).isTrue();
      clock.advance(Duration.ofMinutes(59));
      assertThat(p.remembered(target)).contains(first);
      assertThat(p.probe(target)).isSameAs(first);
      assertThat(pool.connections()).isEqualTo(connections);
      clock.advance(Duration.ofMinutes(2)); // past the hour: probed again
      ProbeResult second = p.probe(target);
      assertThat(second.time()).isAfter(first.time());
      assertThat(pool.connections()).isEqualTo(2 * connections);
    }
  }

  @Test
  void resultsOutliveTheProcessInTheirFile() throws Exception {
    Path file = dir.resolve("probe").resolve("results.tsv");
    ProbeMemory m = ProbeMemory.load(file, Duration.ofHours(1));
    Endpoint pool = new Endpoint(IpAddress.parse("192.0.2.10"), 3333);
    Endpoint web = new Endpoint(IpAddress.parse("2001:db8::5"), 443);
    m.remember(
        new ProbeResult(
            pool,
            Instant.parse("2025-03-01T08:00:00.5Z"),
            new Confirmation(
                Protocol.STRATUM_V1,
                Wire.TLS,
                "mining.subscribe: subscription granted",
                "ab12",
                null,
                null,
                null),
            List.of("stratum-v1 over TLS: mining.subscribe: subscription granted")));
    m.remember(
        new ProbeResult(
            web,
            Instant.parse("2025-03-01T08:00:05Z"),
            null,
            List.of(
                "stratum-v1 over TLS: mining.subscribe: no answer within 5.0 s",
                "stratum-xmr over TLS: login: closed")));
    m.save();
    Files.writeString(file, "not\ta line\n", java.nio.file.StandardOpenOption.APPEND);
    ProbeMemory again = ProbeMemory.load(file, Duration.ofHours(1));
    assertThat(again.problems())
        .containsExactly(
            file
                + ":4: skipped (kept in results.tsv.bad): expected 10 tab-separated fields, found 2");
    assertThat(again.pools()).containsOnlyKeys(pool);
    assertThat(again.pools().get(pool).sentence())
        .isEqualTo(
            "pool 192.0.2.10:3333 confirmed by probe at "
                + "2025-03-01T08:00:00Z (stratum-v1, TLS, answered: mining.subscribe: subscription granted; certificate "
                + "SHA-256 ab12)");
    assertThat(again.recent(web, Instant.parse("2025-03-01T08:30:00Z")).orElseThrow().attempts())
        .containsExactly(
            "stratum-v1 over TLS: mining.subscribe: no answer within 5.0 s",
            "stratum-xmr over TLS: login: closed");
    assertThat(again.recent(web, Instant.parse("2025-03-01T09:00:05Z"))).isEmpty();
  }

  @Test
  void endpointsAreWrittenAndReadAsAddressAndPort() {
    assertThat(ProbeMemory.endpoint("[2001:db8::1]:3333"))
        .isEqualTo(new Endpoint(IpAddress.parse("2001:db8::1"), 3333));
    assertThatThrownBy(() -> ProbeMemory.endpoint("192.0.2.1"))
        .hasMessage("192.0.2.1: expected ADDRESS:PORT");
    assertThatThrownBy(() -> ProbeMemory.endpoint("192.0.2.1:0"))
        .hasMessage("192.0.2.1:0: the port must be 1..65535");
    assertThatThrownBy(() -> ProbeMemory.endpoint("2001:db8::1:3333"))
        .hasMessage("2001:db8::1:3333: write an IPv6 endpoint as [ADDRESS]:PORT");
  }
}
