package org.minewatch.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.minewatch.cli.live.LiveSession;
import org.minewatch.cli.push.Delivery;
import org.minewatch.estimate.PowerModel;
import org.minewatch.evidence.EvidenceAggregator;
import org.minewatch.flowrecord.ExportDecoder;
import org.minewatch.flowrecord.FlowRecordAnalyzer;
import org.minewatch.flowrecord.TemplateLimits;
import org.minewatch.flowrecord.UdpCollector;
import org.minewatch.intel.AddressNames;
import org.minewatch.intel.Intel;
import org.minewatch.intel.PoolCatalogue;
import org.minewatch.logs.LogAnalyzer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code minewatch collect --listen HOST:PORT}: a NetFlow v5/v9 and IPFIX collector that finds
 * mining.
 */
@Command(
    name = "collect",
    mixinStandardHelpOptions = true,
    description = {
      "Receives NetFlow v5, v9 and IPFIX exports over UDP and reports connections to mining pools "
          + "(imported block lists, see 'minewatch intel import') as they are seen.",
      "Stops on Ctrl-C (or --for), flushing what it holds. Exit status: 0 after a clean stop, 2 for unusable "
          + "arguments.",
      "With --server: exit status 1 if the server refused findings, 2 if findings are left in the spool."
    })
final class CollectCommand extends LiveCommand {
  @Option(
      names = "--listen",
      defaultValue = "0.0.0.0:2055",
      paramLabel = "HOST:PORT",
      description = "Address and UDP port to receive exports on (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(
      names = "--max-templates",
      paramLabel = "N",
      defaultValue = "32768",
      description =
          "NetFlow v9/IPFIX templates kept in all; past it one goes, first among those no data has used "
              + "yet, else the least recently used (default: ${DEFAULT-VALUE}).")
  int maxTemplates;

  @Option(
      names = "--max-templates-per-exporter",
      paramLabel = "N",
      defaultValue = "1024",
      description =
          "Templates kept per exporter (source address, all its ports and observation domains); past it "
              + "one of that exporter's goes, chosen the same way (default: ${DEFAULT-VALUE}).")
  int maxTemplatesPerExporter;

  @Option(
      names = "--receive-buffer",
      paramLabel = "BYTES",
      defaultValue = "" + UdpCollector.DEFAULT_RECEIVE_BUFFER,
      description =
          "Socket receive buffer to ask the kernel for, 65536 to 1073741824 bytes; Linux grants at most "
              + "net.core.rmem_max (raise it with sysctl -w net.core.rmem_max=BYTES) (default: ${DEFAULT-VALUE}).")
  int receiveBuffer;

  CollectCommand() {
    this(System.err);
  }

  CollectCommand(PrintStream err) {
    super(err);
  }

  @Override
  public Integer call() throws IOException {
    String wrong = Checks.first(live.problem(), server.problem(), probe.problem());
    if (wrong != null) {
      err.println("minewatch collect: " + wrong);
      return 2;
    }
    if (receiveBuffer < 1 << 16 || receiveBuffer > 1 << 30) {
      err.println(
          "minewatch collect: --receive-buffer "
              + receiveBuffer
              + " is out of range: it must be 65,536 to 1,073,741,824 bytes");
      return 2;
    }
    String limitsProblem = templateLimitsProblem();
    if (limitsProblem != null) {
      err.println("minewatch collect: " + limitsProblem);
      return 2;
    }
    InetSocketAddress address;
    try {
      address = parseListen(listen);
    } catch (IllegalArgumentException e) {
      err.println("minewatch collect: --listen " + listen + ": " + e.getMessage());
      return 2;
    }
    PoolCatalogue catalogue = live.catalogue(err);
    liveProbe = probe.openLive(catalogue, err);
    if (catalogue.listedAddresses() == 0) {
      err.println(
          "minewatch collect: warning: no pool addresses imported; flow records show mining only as "
              + "connections to listed pools (see 'minewatch intel import')");
    }
    Intel intel = new Intel(catalogue, new AddressNames());
    EvidenceAggregator aggregator = new EvidenceAggregator(catalogue);
    aggregator.source("flow-export");
    FlowRecordAnalyzer flows =
        new FlowRecordAnalyzer(intel, new LogAnalyzer(intel, aggregator, "collector"));
    ExportDecoder decoder =
        new ExportDecoder(new TemplateLimits(maxTemplatesPerExporter, maxTemplates));
    Delivery delivery =
        server.enabled()
            ? server.open("collect", err, java.time.Duration.ofSeconds(10), false)
            : null;
    if (server.enabled() && delivery == null) {
      return 2;
    }
    try {
      return collect(address, intel, aggregator, flows, decoder, delivery);
    } finally {
      if (delivery != null) {
        delivery.close();
      }
    }
  }

  private int collect(
      InetSocketAddress address,
      Intel intel,
      EvidenceAggregator aggregator,
      FlowRecordAnalyzer flows,
      ExportDecoder decoder,
      Delivery delivery)
      throws IOException {
    UdpCollector collector;
    try {
      collector = new UdpCollector(address, receiveBuffer);
    } catch (IOException e) {
      err.println("minewatch collect: cannot listen on " + listen + ": " + e.getMessage());
      return 2;
    }
    Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    LiveSession session =
        new LiveSession(
            intel,
            aggregator,
            PowerModel.defaults(),
            live.json(),
            out,
            err,
            () -> statistics(collector, decoder),
            (int) live.statsEvery,
            live.seconds());
    if (delivery != null) {
      session.sendTo(delivery);
    }
    if (liveProbe != null) {
      session.probeWith(liveProbe);
    }
    session.stopOnSignal(collector::close);
    InetSocketAddress bound = collector.localAddress();
    err.println(
        "minewatch: listening for NetFlow/IPFIX on "
            + bound.getAddress().getHostAddress()
            + ":"
            + bound.getPort());
    // The kernel grants at most net.core.rmem_max (Linux then reports twice that, its bookkeeping).
    int granted = collector.receiveBuffer();
    if (granted < receiveBuffer) {
      err.println(
          "minewatch collect: warning: the kernel reports a receive buffer of "
              + granted
              + " bytes for the "
              + receiveBuffer
              + " asked (net.core.rmem_max); bursts beyond it may be dropped: raise it with "
              + "sysctl -w net.core.rmem_max="
              + receiveBuffer);
    }
    try (collector) {
      collector.runInto(
          decoder,
          flows,
          p -> err.println("minewatch: " + p),
          () -> {
            try {
              if (!session.tick()) {
                collector.close();
              }
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          },
          500);
    } finally {
      flows.finish();
      if (liveProbe != null) {
        liveProbe.close();
      }
      session.finish(live.output);
    }
    int sent = delivery != null ? delivery.finish() : 0;
    return session.outputFailed() ? Math.max(1, sent) : sent;
  }

  /** Null if the template limits are usable, else why not. */
  String templateLimitsProblem() {
    if (maxTemplates < 1 || maxTemplatesPerExporter < 1) {
      return "--max-templates and --max-templates-per-exporter must be at least 1";
    }
    if (maxTemplates > 1 << 24) {
      return "--max-templates " + maxTemplates + " is more than the most, " + (1 << 24);
    }
    if (maxTemplatesPerExporter > maxTemplates) {
      return "--max-templates-per-exporter "
          + maxTemplatesPerExporter
          + " is more than --max-templates "
          + maxTemplates;
    }
    return null;
  }

  /** The collector's counters as one line, for the periodic and final summaries. */
  static String statistics(UdpCollector collector, ExportDecoder decoder) {
    String kinds = collector.malformedByKind();
    StringBuilder s =
        new StringBuilder(
            String.format(
                java.util.Locale.ROOT,
                "%,d datagrams (%,d malformed%s), %,d flow records, %,d records and %,d export packets lost by sequence "
                    + "numbers (%,d out of order, %,d sequence resets), %,d data sets with unknown templates, %,d templates "
                    + "(%,d evicted, %,d refused)",
                collector.datagrams(),
                collector.malformed(),
                kinds.isEmpty() ? "" : ": " + kinds,
                decoder.records(),
                decoder.lostRecords(),
                decoder.lostMessages(),
                decoder.outOfOrder(),
                decoder.sequenceResets(),
                decoder.unknownTemplateSets(),
                decoder.templates(),
                decoder.templatesEvicted(),
                decoder.templatesRefused()));
    if (decoder.streamsForgotten() > 0) {
      s.append(
          String.format(
              java.util.Locale.ROOT,
              ", %,d exporter streams forgotten",
              decoder.streamsForgotten()));
    }
    return s.toString();
  }

  static InetSocketAddress parseListen(String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("expected HOST:PORT");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the port is not a number");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("the port is out of range");
    }
    return new InetSocketAddress(host.isEmpty() ? "0.0.0.0" : host, port);
  }
}
