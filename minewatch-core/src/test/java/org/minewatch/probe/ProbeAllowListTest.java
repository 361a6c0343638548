package org.minewatch.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.minewatch.model.Endpoint;
import org.minewatch.model.IpAddress;
import org.minewatch.testkit.pools.LineServer;
import org.minewatch.testkit.pools.SimulatedPools;

/**
 * What no allow-list can open up by accident: wide blocks, addresses that are no server, the host
 * and the link.
 */
class ProbeAllowListTest {
  private static Endpoint at(String address, int port) {
    return new Endpoint(IpAddress.parse(address), port);
  }

  private static String refusal(String allow, String address) {
    return AllowList.parse(List.of(allow), true).refusal(at(address, 3333));
  }

  @Test
  void blocksWiderThanSlash8OrSlash16AreRefusedUnlessAllowedWide() {
    assertThatThrownBy(() -> AllowList.parse(List.of("0.0.0.0/0")))
        .hasMessage(
            "--probe-allow 0.0.0.0/0: a /0 block "
                + "is wider than /8, the widest allowed for IPv4; give --probe-allow-wide if you mean it");
    assertThatThrownBy(() -> AllowList.parse(List.of("10.0.0.0/8", "8.0.0.0/7")))
        .hasMessage(
            "--probe-allow 8.0.0.0/7: "
                + "a /7 block is wider than /8, the widest allowed for IPv4; give --probe-allow-wide if you mean it");
    assertThatThrownBy(() -> AllowList.parse(List.of("2000::/15")))
        .hasMessage(
            "--probe-allow 2000::/15: a /15 block "
                + "is wider than /16, the widest allowed for IPv6; give --probe-allow-wide if you mean it");
    assertThat(AllowList.parse(List.of("10.0.0.0/8", "2001::/16")).toString())
        .isEqualTo("10.0.0.0/8, 2001::/16");
    AllowList wide = AllowList.parse(List.of("0.0.0.0/0", "::/0"), true);
    assertThat(wide.allows(at("192.0.2.1", 3333))).isTrue();
    assertThat(wide.allows(at("2001:db8::1", 3333))).isTrue();
  }

  @Test
  void unspecifiedMulticastBroadcastAndPortZeroAreNeverProbed() {
    AllowList wide = AllowList.parse(List.of("0.0.0.0/0", "::/0"), true);
    assertThat(wide.refusal(at("0.0.0.0", 3333)))
        .isEqualTo("an unspecified address, which is never probed");
    assertThat(wide.refusal(at("::", 3333)))
        .isEqualTo("an unspecified address, which is never probed");
    assertThat(wide.refusal(at("224.0.0.1", 3333)))
        .isEqualTo("a multicast address, which is never probed");
    assertThat(wide.refusal(at("239.255.255.250", 3333)))
        .isEqualTo("a multicast address, which is never probed");
    assertThat(wide.refusal(at("ff02::1", 3333)))
        .isEqualTo("a multicast address, which is never probed");
    assertThat(wide.refusal(at("255.255.255.255", 3333)))
        .isEqualTo("the broadcast address, which is never probed");
    assertThat(wide.refusal(at("192.0.2.1", 0))).isEqualTo("on port 0, which is never probed");
    // Even a block naming exactly that address does not open it.
    assertThat(AllowList.parse(List.of("0.0.0.0/32")).refusal(at("0.0.0.0", 3333)))
        .isEqualTo("an unspecified address, which is never probed");
    assertThat(AllowList.parse(List.of("224.0.0.0/8")).refusal(at("224.0.0.1", 3333)))
        .isEqualTo("a multicast address, which is never probed");
    assertThat(AllowList.parse(List.of("255.255.255.255")).allows(at("255.255.255.255", 3333)))
        .isFalse();
  }

  @Test
  void loopbackLinkLocalNat64And6to4OnlyThroughABlockInsideThem() {
    assertThat(refusal("0.0.0.0/0", "127.0.0.1"))
        .isEqualTo(
            "a loopback address (127.0.0.0/8), probed only when a "
                + "--probe-allow block inside 127.0.0.0/8 admits it");
    assertThat(refusal("::/0", "::1"))
        .isEqualTo(
            "a loopback address (::1/128), probed only when a --probe-allow "
                + "block inside ::1/128 admits it");
    assertThat(refusal("0.0.0.0/0", "169.254.169.254"))
        .isEqualTo(
            "a link-local address (169.254.0.0/16), probed only "
                + "when a --probe-allow block inside 169.254.0.0/16 admits it");
    assertThat(refusal("169.0.0.0/8", "169.254.169.254"))
        .startsWith("a link-local address (169.254.0.0/16)");
    assertThat(refusal("fe80::/10", "fe80::1")).isNull();
    assertThat(refusal("fe00::/8", "fe80::1"))
        .isEqualTo(
            "a link-local address (fe80::/10), probed only when a "
                + "--probe-allow block inside fe80::/10 admits it");
    assertThat(refusal("::/0", "64:ff9b::7f00:1"))
        .isEqualTo(
            "a NAT64 address (64:ff9b::/96), probed only when a "
                + "--probe-allow block inside 64:ff9b::/96 admits it");
    assertThat(refusal("2000::/3", "2002:7f00:1::1"))
        .isEqualTo(
            "a 6to4 address (2002::/16), probed only when a "
                + "--probe-allow block inside 2002::/16 admits it");
    // A block inside the range, or the range itself, admits its addresses.
    assertThat(refusal("127.0.0.0/8", "127.0.0.1")).isNull();
    assertThat(refusal("127.0.0.1/32", "127.0.0.1")).isNull();
    assertThat(refusal("::1/128", "::1")).isNull();
    assertThat(refusal("169.254.169.254", "169.254.169.254")).isNull();
    assertThat(refusal("64:ff9b::/96", "64:ff9b::c000:201")).isNull();
    assertThat(refusal("2002::/16", "2002:c000:201::1")).isNull();
    // With a wide block and a narrow one, the narrow one admits the special address.
    assertThat(
            AllowList.parse(List.of("0.0.0.0/0", "127.0.0.0/8"), true)
                .allows(at("127.0.0.1", 3333)))
        .isTrue();
    // An address outside every block is named as such, special or not.
    assertThat(AllowList.parse(List.of("10.0.0.0/8")).refusal(at("127.0.0.1", 3333)))
        .isEqualTo("outside the networks allowed to be probed (10.0.0.0/8)");
  }

  @Test
  void theProberRefusesThemWithoutAConnection() throws Exception {
    try (LineServer pool =
        LineServer.start(null, SimulatedPools.responder(SimulatedPools.Dialect.STRATUM_V1))) {
      Prober p =
          new Prober(
              AllowList.parse(List.of("0.0.0.0/0"), true),
              new ProbeRateLimit(java.time.Duration.ZERO),
              ProbeMemory.inMemory(ProbeMemory.DEFAULT_INTERVAL),
              java.time.Clock.systemUTC(),
              ProbeFixtures.CONNECT,
              ProbeFixtures.REPLY);
      Endpoint target = ProbeFixtures.loopback(pool.port());
      assertThat(p.allows(target)).isFalse();
      assertThatThrownBy(() -> p.probe(target))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "127.0.0.1:"
                  + pool.port()
                  + " is a loopback address (127.0.0.0/8), probed only when a --probe-allow block inside "
                  + "127.0.0.0/8 admits it");
      assertThatThrownBy(() -> p.probe(at("192.0.2.1", 0)))
          .hasMessage("192.0.2.1:0 is on port 0, which is never probed");
      assertThat(pool.connections()).isZero();
    }
  }
}
