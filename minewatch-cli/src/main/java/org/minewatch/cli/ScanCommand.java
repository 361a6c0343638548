package org.minewatch.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.minewatch.attribution.Attribution;
import org.minewatch.attribution.Attributor;
import org.minewatch.attribution.MiningHost;
import org.minewatch.attribution.assess.Assessor;
import org.minewatch.attribution.geo.GeoLocator;
import org.minewatch.attribution.registry.UnitRegistry;
import org.minewatch.cli.output.FindingWriter;
import org.minewatch.cli.push.Delivery;
import org.minewatch.cli.push.ServerOptions;
import org.minewatch.estimate.PowerModel;
import org.minewatch.flow.FlowTable;
import org.minewatch.flow.StreamBudget;
import org.minewatch.intel.PoolCatalogue;
import org.minewatch.io.Inputs;
import org.minewatch.model.IpAddress;
import org.minewatch.scan.ScanReporter;
import org.minewatch.scan.ScanStats;
import org.minewatch.scan.Scanner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code minewatch scan FILE|DIR...}: finds mining, pools and nodes in packet captures. */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = {
      "Scans pcap and pcapng captures, flow exports (IPFIX files, nfdump CSV) and Zeek or Suricata EVE "
          + "logs, gzip-compressed or not, and directories of them; each file's format is recognised from its content.",
      "Exit status: 0 when the scan ran (findings or not), 2 for unusable arguments or no readable input. With "
          + "--server: 1 if the server refused findings, 2 if findings are left in the spool."
    })
public final class ScanCommand implements Callable<Integer> {

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE|DIR",
      description =
          "Captures, flow exports, sensor logs or "
              + "directories; - for standard input. Pipes, FIFOs and <(command) are read as streams.")
  List<Path> inputs;

  @Option(
      names = {"-f", "--format"},
      defaultValue = "table",
      paramLabel = "FORMAT",
      description = "table (default), jsonl or csv.")
  String format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write findings here instead of stdout.")
  Path output;

  @Option(
      names = "--max-flows",
      defaultValue = "" + FlowTable.DEFAULT_MAX_FLOWS,
      paramLabel = "N",
      description =
          "Flows tracked at once, 1 to 16,777,216; beyond it, flows no detector claimed are evicted "
              + "first, the least recently active first (default: ${DEFAULT-VALUE}).")
  long maxFlows; // long: a value past int is told its range too

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Threads, 1 to "
              + Scanner.MAX_THREADS
              + " (default 1): with more, one reads and decodes and the others analyse; the"
              + " findings are the same for any N, and --max-flows counts the flows of all of them."
              + " More threads help where analysis outweighs reading and decoding, which is not so"
              + " on the benchmark captures (docs/benchmarks.md, \"Threads\").")
  long threads;

  @Option(
      names = "--power-table",
      paramLabel = "CSV",
      description =
          "Energy per unit of work by algorithm and hardware (replaces the built-in table; same columns).")
  Path powerTable;

  @Option(
      names = "--intel-dir",
      paramLabel = "DIR",
      description =
          "Imported block lists to use (default: $MINEWATCH_HOME/intel or ~/.minewatch/intel).")
  Path intelDir;

  @Option(
      names = "--registry",
      paramLabel = "FILE",
      description =
          "Address allocations to attribute hosts to units "
              + "(CSV or JSON; repeatable). See docs/registry.md.")
  List<Path> registries = new java.util.ArrayList<>();

  @Option(
      names = "--geo",
      paramLabel = "FILE",
      description =
          "Geolocation databases for hosts: ip2region .xdb "
              + "(Chinese province, city, ISP) or MaxMind-format .mmdb (GeoLite2/DB-IP City, Country, ASN); repeatable, "
              + "consulted in order.")
  List<Path> geoFiles = new java.util.ArrayList<>();

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress or summary on stderr; faults are still reported.")
  boolean quiet;

  @picocli.CommandLine.Mixin ServerOptions server = new ServerOptions();

  @picocli.CommandLine.Mixin ProbeOptions probe = new ProbeOptions();

  private final PrintStream err;

  public ScanCommand() {
    this(System.err);
  }

  ScanCommand(PrintStream err) {
    this.err = err;
  }

  @Override
  public Integer call() throws IOException {
    FindingWriter writer;
    try {
      writer = FindingWriter.of(format.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      err.println("minewatch scan: " + e.getMessage());
      return 2;
    }
    String wrong = Checks.range("--max-flows", maxFlows, 1, Checks.MAX_FLOWS, "flows");
    if (wrong == null) {
      wrong = Checks.range("--threads", threads, 1, Scanner.MAX_THREADS, "threads");
    }
    if (wrong == null) {
      wrong = Checks.output("--output", output);
    }
    if (wrong != null) {
      err.println("minewatch scan: " + wrong);
      return 2;
    }
    if (server.problem() != null) {
      err.println("minewatch scan: " + server.problem());
      return 2;
    }
    if (probe.problem() != null) {
      err.println("minewatch scan: " + probe.problem());
      return 2;
    }
    PowerModel power;
    try {
      power = powerTable != null ? PowerModel.load(powerTable) : PowerModel.defaults();
    } catch (IOException | IllegalArgumentException e) {
      err.println("minewatch scan: --power-table: " + e.getMessage());
      return 2;
    }
    ScanReporter reporter =
        new ScanReporter() {
          @Override
          public void problem(String line) {
            err.println("minewatch: " + line);
          }

          @Override
          public void progress(ScanStats s, String file) {
            if (!quiet) {
              err.printf(
                  Locale.ROOT,
                  "minewatch: %,d packets, %,d flows, %.0f s, reading %s%n",
                  s.packets(),
                  s.flows(),
                  s.seconds(),
                  file);
            }
          }
        };
    PoolCatalogue catalogue = PoolCatalogue.defaults();
    for (String problem :
        IntelDirectory.loadInto(
            catalogue, intelDir != null ? intelDir : IntelDirectory.defaultDirectory())) {
      err.println("minewatch: " + problem);
    }
    org.minewatch.probe.Prober prober = probe.enabled() ? probe.open(err) : null;
    if (prober != null) {
      ProbeOptions.addConfirmedPools(prober, catalogue);
    }
    UnitRegistry registry = Registries.load(registries, err, "scan");
    List<GeoLocator> geo = registry == null ? null : GeoFiles.open(geoFiles, "en", err, "scan");
    if (registry == null || geo == null) {
      return 2;
    }
    // Before the scan: a spool in use or a wrong --server shows at once; what an earlier run left
    // is sent meanwhile.
    Delivery delivery =
        server.enabled() ? server.open("scan", err, java.time.Duration.ofSeconds(60), quiet) : null;
    if (server.enabled() && delivery == null) {
      return 2;
    }
    try {
      return scan(writer, reporter, power, catalogue, registry, geo, delivery, prober);
    } finally {
      if (delivery != null) {
        delivery.close();
      }
    }
  }

  private int scan(
      FindingWriter writer,
      ScanReporter reporter,
      PowerModel power,
      PoolCatalogue catalogue,
      UnitRegistry registry,
      List<GeoLocator> geo,
      Delivery delivery,
      org.minewatch.probe.Prober prober)
      throws IOException {
    Scanner scanner =
        new Scanner(reporter, (int) maxFlows, power, catalogue).threads((int) threads);
    if (prober != null) {
      scanner.probing(probe.check(prober, err));
    }
    Scanner.Result result = scanner.scan(inputs);
    ScanStats s = result.stats();
    if (s.files() == 0) {
      err.println("minewatch scan: no readable capture, flow export or log among the inputs");
      return 2;
    }
    List<MiningHost> hosts = result.findings().stream().map(MiningHost::of).toList();
    Map<IpAddress, Attribution> attributions =
        new Attributor(registry, geo, Assessor.defaults()).attribute(hosts, Map.of(), Map.of());
    if (delivery != null) {
      delivery.send(
          result.findings(), result.operations(), attributions); // spooled even if the file fails
    }
    try (Writer out =
        output != null
            ? Files.newBufferedWriter(output, StandardCharsets.UTF_8)
            : StandardOutput.writer()) {
      writer.write(result.findings(), result.operations(), attributions, out);
    } catch (IOException e) {
      err.println(
          "minewatch scan: "
              + (output != null ? "--output " + output : "standard output")
              + ": cannot write: "
              + Inputs.reason(e));
      return delivery != null ? Math.max(1, delivery.finish()) : 1;
    }
    if (!quiet) {
      err.printf(
          Locale.ROOT,
          "minewatch: %d files, %,d packets, %,d flows, %d findings, %d malformed records, %d malformed packets, "
              + "%.2f seconds%n",
          s.files(),
          s.packets(),
          s.flows(),
          s.findings(),
          s.malformedRecords(),
          s.malformedPackets(),
          s.seconds());
      if (s.logRecords() > 0) {
        err.printf(Locale.ROOT, "minewatch: %,d sensor log records read%n", s.logRecords());
      }
      if (s.flowRecords() > 0) {
        err.printf(Locale.ROOT, "minewatch: %,d flow records read%n", s.flowRecords());
      }
      if (s.flowsEvicted() > 0) {
        err.printf(
            Locale.ROOT,
            "minewatch: %,d flows were evicted from a full flow table, %,d of them claimed by a "
                + "detector (raise --max-flows)%n",
            s.flowsEvicted(),
            s.flowsEvictedClaimed());
      }
      if (s.bytesNotInspectedBudget() > 0) {
        err.printf(
            Locale.ROOT,
            "minewatch: %,d bytes of payload not inspected: buffer budget (%,d flows' inspection "
                + "ended before a decision to keep reassembly buffers within %d MiB)%n",
            s.bytesNotInspectedBudget(),
            s.flowsCutByBudget(),
            StreamBudget.DEFAULT_BYTES >> 20);
      }
    }
    return delivery != null ? delivery.finish() : 0;
  }
}
