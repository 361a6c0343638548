package org.minewatch.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.minewatch.intel.BlockList;
import org.minewatch.intel.PoolCatalogue;
import org.minewatch.model.Endpoint;
import org.minewatch.model.IpAddress;
import org.minewatch.probe.AllowList;
import org.minewatch.probe.PoolCheck;
import org.minewatch.probe.ProbeMemory;
import org.minewatch.probe.ProbeRateLimit;
import org.minewatch.probe.ProbeResult;
import org.minewatch.probe.Prober;
import picocli.CommandLine.Option;

/**
 * The active probe's options (picocli mixin), shared by {@code probe}, {@code scan}, {@code watch}
 * and {@code collect}.
 */
public final class ProbeOptions {
  @Option(
      names = "--probe",
      description =
          "Speak to the endpoints that behaviour or flow records made suspect as a "
              + "miner would, and make confirmed pools' hosts mining (off by default; needs --probe-allow; docs/probe.md).")
  boolean enabled;

  @Option(
      names = "--probe-allow",
      paramLabel = "CIDR",
      description =
          "A network the probe may connect to "
              + "(repeatable); nothing outside these is ever probed.")
  List<String> allow = new ArrayList<>();

  @Option(
      names = "--probe-allow-wide",
      description =
          "Allow --probe-allow blocks wider than /8 (IPv4) or /16 " + "(IPv6), such as 0.0.0.0/0.")
  boolean allowWide;

  static final double MIN_SPACING_SECONDS = 0.1;
  static final long MIN_INTERVAL_SECONDS = 60;
  static final long MAX_INTERVAL_SECONDS = 30L * 24 * 3600;

  @Option(
      names = "--probe-spacing",
      defaultValue = "1",
      paramLabel = "SECONDS",
      description =
          "Time between two new probe connections, over all endpoints (default: ${DEFAULT-VALUE}).")
  double spacingSeconds;

  @Option(
      names = "--probe-interval",
      defaultValue = "3600",
      paramLabel = "SECONDS",
      description =
          "An endpoint is probed at most once in this time; its result is remembered (default: ${DEFAULT-VALUE}).")
  long intervalSeconds;

  @Option(
      names = "--probe-timeout",
      defaultValue = "5",
      paramLabel = "SECONDS",
      description =
          "Wait this long for each answer (connections and TLS handshakes: at most 3 s) (default: ${DEFAULT-VALUE}).")
  double timeoutSeconds;

  @Option(
      names = "--probe-max",
      defaultValue = "64",
      paramLabel = "N",
      description =
          "Probe at most this many "
              + "endpoints in one scan; the others are named and left for the next run (default: ${DEFAULT-VALUE}).")
  int maxProbes;

  @Option(
      names = "--probe-state",
      paramLabel = "FILE",
      description =
          "Where probe results are remembered between "
              + "runs (default: $MINEWATCH_HOME/probe/results.tsv or ~/.minewatch/probe/results.tsv).")
  Path stateFile;

  /** Null if the options are usable (or the probe is off), else what is wrong. */
  String problem() {
    if (!enabled) {
      return allow.isEmpty() ? null : "--probe-allow has no effect without --probe";
    }
    return settingsProblem();
  }

  /** The same checks for the {@code probe} command, which probes without --probe. */
  String settingsProblem() {
    if (allow.isEmpty()) {
      return "probing needs at least one --probe-allow CIDR: nothing is probed outside the networks you allow";
    }
    try {
      AllowList.parse(allow, allowWide);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    // Floors: the limits exist so that probing never becomes a burst or a hammering of one
    // endpoint.
    if (!(spacingSeconds >= MIN_SPACING_SECONDS) || spacingSeconds > 3600) {
      return "--probe-spacing must be "
          + MIN_SPACING_SECONDS
          + "..3600 seconds, not "
          + spacingSeconds;
    }
    if (intervalSeconds < MIN_INTERVAL_SECONDS || intervalSeconds > MAX_INTERVAL_SECONDS) {
      return "--probe-interval must be "
          + MIN_INTERVAL_SECONDS
          + ".."
          + MAX_INTERVAL_SECONDS
          + " seconds (1 minute to "
          + "30 days), not "
          + intervalSeconds;
    }
    if (maxProbes < 1 || maxProbes > 100_000) {
      return "--probe-max must be 1..100000, not " + maxProbes;
    }
    if (!(timeoutSeconds >= 0.001) || timeoutSeconds > 60) {
      return "--probe-timeout must be 0.001..60 seconds, not " + timeoutSeconds;
    }
    return null;
  }

  boolean enabled() {
    return enabled;
  }

  /**
   * The prober, its remembered results read (their bad lines go to {@code err}). Call once, after
   * {@link #problem()}.
   */
  Prober open(PrintStream err) throws IOException {
    ProbeMemory memory =
        ProbeMemory.load(
            stateFile != null ? stateFile : defaultStateFile(),
            Duration.ofSeconds(intervalSeconds));
    memory.problems().forEach(p -> err.println("minewatch: " + p));
    Duration reply = Duration.ofNanos((long) (timeoutSeconds * 1e9));
    Duration connect =
        reply.compareTo(Prober.DEFAULT_CONNECT_TIMEOUT) < 0
            ? reply
            : Prober.DEFAULT_CONNECT_TIMEOUT;
    return new Prober(
        AllowList.parse(allow, allowWide),
        new ProbeRateLimit(Duration.ofNanos((long) (spacingSeconds * 1e9))),
        memory,
        Clock.systemUTC(),
        connect,
        reply);
  }

  /**
   * The prober of a live command (watch, collect), its confirmed pools already in {@code
   * catalogue}; null when probing is off.
   */
  org.minewatch.cli.live.LiveProbe openLive(PoolCatalogue catalogue, PrintStream err)
      throws IOException {
    if (!enabled()) {
      return null;
    }
    Prober prober = open(err);
    addConfirmedPools(prober, catalogue);
    return new org.minewatch.cli.live.LiveProbe(prober, err);
  }

  /**
   * Confirmed pools are intelligence: their addresses join the block list, so every host talking to
   * one is found.
   */
  static void addConfirmedPools(Prober prober, PoolCatalogue catalogue) {
    Set<IpAddress> addresses = new HashSet<>();
    prober.memory().pools().keySet().forEach(e -> addresses.add(e.address()));
    if (!addresses.isEmpty()) {
      catalogue.addListed(new BlockList(Set.of(), addresses, List.of()));
    }
  }

  /**
   * How {@code scan} asks about servers: at most {@code --probe-max} of the candidates probed (each
   * line of what was found to {@code err}), the results saved, every confirmed pool returned.
   */
  PoolCheck check(Prober prober, PrintStream err) {
    return candidates -> probeEach(prober, candidates, err, maxProbes);
  }

  static Map<Endpoint, ProbeResult> probeEach(
      Prober prober, List<Endpoint> candidates, PrintStream err, int max) {
    List<Endpoint> outside = new ArrayList<>();
    List<Endpoint> over = new ArrayList<>();
    int probed = 0;
    for (Endpoint e : candidates) {
      if (prober.allowList().outside(e)) {
        outside.add(e);
        continue;
      }
      if (!prober.allows(e)) {
        err.println("minewatch: probe: not probed: " + prober.refusal(e));
        continue;
      }
      boolean remembered = prober.remembered(e).isPresent();
      if (!remembered && probed >= max) {
        over.add(e);
        continue;
      }
      try {
        probed += remembered ? 0 : 1;
        ProbeResult r = prober.probe(e);
        err.println("minewatch: probe: " + r.summary() + (remembered ? " (remembered)" : ""));
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (!outside.isEmpty()) {
      err.println(
          "minewatch: probe: not probed, outside --probe-allow ("
              + prober.allowList()
              + "): "
              + String.join(", ", outside.stream().map(Endpoint::toString).toList()));
    }
    if (!over.isEmpty()) {
      err.println(
          "minewatch: probe: not probed, over --probe-max "
              + max
              + " in this run: "
              + String.join(", ", over.stream().map(Endpoint::toString).toList()));
    }
    try {
      prober.memory().save();
    } catch (IOException e) {
      // This run's confirmations still count; the next run probes again.
      err.println("minewatch: probe: cannot save the probe results: " + e.getMessage());
    }
    return prober.memory().pools();
  }

  static Path defaultStateFile() {
    String home = System.getenv("MINEWATCH_HOME");
    Path base =
        home != null && !home.isBlank()
            ? Path.of(home)
            : Path.of(System.getProperty("user.home"), ".minewatch");
    return base.resolve("probe").resolve("results.tsv");
  }
}
