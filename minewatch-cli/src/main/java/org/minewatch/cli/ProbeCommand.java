package org.minewatch.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.minewatch.model.Endpoint;
import org.minewatch.model.HostPort;
import org.minewatch.model.IpAddress;
import org.minewatch.probe.ProbeResult;
import org.minewatch.probe.Prober;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code minewatch probe HOST:PORT...}: asks endpoints, as a miner would, whether they are mining
 * pools.
 */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    description = {
      "Speaks to each endpoint as a miner would (Stratum v1 mining.subscribe and mining.authorize, XMRig "
          + "login, eth_submitLogin; over TLS, then in clear) and says whether it answered as a mining pool. Only "
          + "endpoints inside --probe-allow are contacted, each at most once per --probe-interval. See docs/probe.md.",
      "Exit status: 0 when every endpoint was probed (or remembered), 1 when some were refused (outside "
          + "--probe-allow, or in a range never probed), 2 for unusable arguments."
    })
final class ProbeCommand implements Callable<Integer> {
  @Parameters(
      arity = "1..*",
      paramLabel = "HOST:PORT",
      description = "Endpoints: an address or a name, and a port " + "([ADDRESS]:PORT for IPv6).")
  List<String> targets;

  @Mixin ProbeOptions probe = new ProbeOptions();

  private final PrintStream out;
  private final PrintStream err;

  ProbeCommand() {
    this(System.out, System.err);
  }

  ProbeCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws IOException {
    String problem = probe.settingsProblem();
    if (problem != null) {
      err.println("minewatch probe: " + problem);
      return 2;
    }
    List<Endpoint> endpoints = new ArrayList<>();
    for (String t : targets) {
      try {
        endpoints.add(resolve(t));
      } catch (IllegalArgumentException e) {
        err.println("minewatch probe: " + e.getMessage());
        return 2;
      }
    }
    Prober prober = probe.open(err);
    int refused = 0;
    try {
      for (Endpoint e : endpoints) {
        if (!prober.allows(e)) {
          err.println("minewatch probe: " + prober.refusal(e) + ": not contacted");
          refused++;
          continue;
        }
        boolean remembered = prober.remembered(e).isPresent();
        ProbeResult r = prober.probe(e);
        out.println(r.summary() + (remembered ? " (remembered from an earlier probe)" : ""));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      prober.memory().save();
    }
    return refused > 0 ? 1 : 0;
  }

  /**
   * HOST:PORT to one address and port. A name is resolved here, once: the address checked against
   * the allow-list is the address connected to.
   */
  static Endpoint resolve(String text) {
    HostPort hp = HostPort.parse(text, "HOST");
    String host = hp.host();
    try {
      return new Endpoint(IpAddress.fromBytes(InetAddress.getByName(host).getAddress()), hp.port());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(text + ": " + host + " cannot be resolved");
    }
  }
}
