package org.minewatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.model.Endpoint;
import org.minewatch.model.IpAddress;
import org.minewatch.probe.AllowList;
import org.minewatch.probe.ProbeMemory;
import org.minewatch.probe.ProbeRateLimit;
import org.minewatch.probe.Prober;

/** One scan probes at most --probe-max endpoints. */
class ProbeOptionsTest extends ConsoleTest {
  @TempDir Path dir;

  /** A loopback port nothing listens on: a probe of it ends at once, refused. */
  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  @Test
  void aScanProbesAtMostProbeMaxEndpointsAndNamesTheRest() throws Exception {
    Endpoint a = new Endpoint(IpAddress.parse("127.0.0.1"), closedPort());
    Endpoint b = new Endpoint(IpAddress.parse("127.0.0.2"), closedPort());
    Endpoint c = new Endpoint(IpAddress.parse("127.0.0.3"), closedPort());
    Prober prober =
        new Prober(
            AllowList.parse(List.of("127.0.0.0/8")),
            new ProbeRateLimit(Duration.ZERO),
            ProbeMemory.inMemory(Duration.ofHours(1)),
            Clock.systemUTC(),
            Duration.ofSeconds(2),
            Duration.ofSeconds(1));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<Endpoint> candidates = List.of(a, b, c);
    ProbeOptions.probeEach(
        prober, candidates, new PrintStream(err, true, StandardCharsets.UTF_8), 2);
    assertThat(prober.remembered(a)).isPresent();
    assertThat(prober.remembered(b)).isPresent();
    assertThat(prober.remembered(c)).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8).lines().toList())
        .hasSize(3)
        .last()
        .isEqualTo("minewatch: probe: not probed, over --probe-max 2 in this run: " + c);
    // Remembered ones do not count: the next run probes the third.
    err.reset();
    ProbeOptions.probeEach(
        prober, candidates, new PrintStream(err, true, StandardCharsets.UTF_8), 1);
    assertThat(prober.remembered(c)).isPresent();
    assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("--probe-max");
  }

  @Test
  void probeMaxMustBePositive() throws Exception {
    assertThat(
            MineWatch.run(
                "probe", "--probe-allow", "127.0.0.0/8", "--probe-max", "0", "127.0.0.1:3333"))
        .isEqualTo(2);
    assertThat(stderr()).contains("minewatch probe: --probe-max must be 1..100000, not 0");
  }
}
