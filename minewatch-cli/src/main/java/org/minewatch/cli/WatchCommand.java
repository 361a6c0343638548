package org.minewatch.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.minewatch.capture.CaptureListener;
import org.minewatch.capture.Packet;
import org.minewatch.cli.live.BpfProgram;
import org.minewatch.cli.live.CaptureClock;
import org.minewatch.cli.live.LiveSession;
import org.minewatch.cli.live.PacketCapture;
import org.minewatch.cli.live.PacketRings;
import org.minewatch.cli.live.TcpdumpCapture;
import org.minewatch.cli.push.Delivery;
import org.minewatch.detect.behaviour.BehaviourJudge;
import org.minewatch.estimate.PowerModel;
import org.minewatch.evidence.EvidenceAggregator;
import org.minewatch.flow.FlowTable;
import org.minewatch.intel.AddressNames;
import org.minewatch.intel.Intel;
import org.minewatch.intel.PoolCatalogue;
import org.minewatch.scan.Analyzer;
import org.minewatch.scan.Detectors;
import org.minewatch.scan.ScanStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code minewatch watch -i IFACE}: live capture with the same engine as {@code scan}. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Captures live on an interface (root or CAP_NET_RAW) and prints findings as they are made, with "
          + "counters now and then, including the kernel's drops. On Java 22 or later the kernel's "
          + "memory-mapped ring is read directly; otherwise through tcpdump.",
      "Stops on Ctrl-C (or --for), flushing every flow. Exit status: 0 after a clean stop, 2 when the capture "
          + "cannot start.",
      "With --server: exit status 1 if the server refused findings, 2 if findings are left in the spool."
    })
final class WatchCommand extends LiveCommand {
  @Option(
      names = {"-i", "--interface"},
      required = true,
      paramLabel = "IFACE",
      description = "Interface to capture on.")
  String iface;

  @Option(
      names = "--filter",
      paramLabel = "BPF",
      description =
          "A capture filter in tcpdump's syntax. tcpdump compiles it (tcpdump -dd) for the ring, "
              + "whose kernel filter then keeps every other packet out.")
  String filter;

  @Option(
      names = "--max-flows",
      defaultValue = "" + FlowTable.DEFAULT_MAX_FLOWS,
      paramLabel = "N",
      description = "Flows tracked at once, 1 to 16,777,216 (default: ${DEFAULT-VALUE}).")
  long maxFlows; // long: a value past int is told its range too

  @Option(
      names = "--capture",
      defaultValue = "auto",
      paramLabel = "auto|ring|tcpdump",
      description =
          "How packets are read: the kernel's AF_PACKET ring (Java 22 or later), tcpdump's "
              + "pipe, or auto: the ring where it can open, else tcpdump "
              + "(default: ${DEFAULT-VALUE}).")
  String captureWith;

  @Option(
      names = "--ring-mib",
      paramLabel = "N",
      description =
          "The ring's size in blocks of 1 MiB, "
              + PacketRings.MIN_MIB
              + " to "
              + PacketRings.MAX_MIB
              + " (default: "
              + PacketRings.DEFAULT_MIB
              + "); the ring only.")
  Long ringMib; // null: not given; long: a value past int is told its range too

  @Option(names = "--tcpdump", defaultValue = "tcpdump", paramLabel = "PATH", hidden = true)
  String tcpdump;

  WatchCommand() {
    this(System.err);
  }

  WatchCommand(PrintStream err) {
    super(err);
  }

  @Override
  public Integer call() throws Exception {
    if (live.problem() != null) {
      err.println("minewatch watch: " + live.problem());
      return 2;
    }
    if (!List.of("auto", "ring", "tcpdump").contains(captureWith)) {
      err.println(
          "minewatch watch: --capture must be auto, ring or tcpdump, not \"" + captureWith + "\"");
      return 2;
    }
    String flows = Checks.range("--max-flows", maxFlows, 1, Checks.MAX_FLOWS, "flows");
    if (flows != null) {
      err.println("minewatch watch: " + flows);
      return 2;
    }
    if (ringMib != null) {
      String size =
          Checks.range("--ring-mib", ringMib, PacketRings.MIN_MIB, PacketRings.MAX_MIB, "MiB");
      if (size != null) {
        err.println("minewatch watch: " + size);
        return 2;
      }
      if ("tcpdump".equals(captureWith)) {
        err.println(
            "minewatch watch: --ring-mib sizes the kernel's ring: use --capture auto or ring "
                + "(tcpdump's kernel buffer is 64 MiB)");
        return 2;
      }
    }
    if (server.problem() != null) {
      err.println("minewatch watch: " + server.problem());
      return 2;
    }
    if (probe.problem() != null) {
      err.println("minewatch watch: " + probe.problem());
      return 2;
    }
    PoolCatalogue catalogue = live.catalogue(err);
    liveProbe = probe.openLive(catalogue, err);
    Intel intel = new Intel(catalogue, new AddressNames());
    EvidenceAggregator aggregator = new EvidenceAggregator(catalogue);
    ScanStats stats = new ScanStats();
    Analyzer analyzer =
        new Analyzer(
            Detectors.standard(intel),
            aggregator,
            stats,
            line -> err.println("minewatch: " + line),
            (int) maxFlows,
            // Probing: connections too short to judge but shaped like a start become leads.
            liveProbe != null ? BehaviourJudge.builtIn().withLeads() : BehaviourJudge.builtIn());
    // A silent connection is judged when its checkpoint passes, not at its next packet.
    analyzer.judgeCheckpointsOnTheClock();
    Delivery delivery =
        server.enabled()
            ? server.open("watch", err, java.time.Duration.ofSeconds(10), false)
            : null;
    if (server.enabled() && delivery == null) {
      return 2;
    }
    try {
      return capture(analyzer, stats, intel, aggregator, delivery);
    } finally {
      if (delivery != null) {
        delivery.close();
      }
    }
  }

  /**
   * The ring where it can open (auto) or must (ring), else tcpdump; null after saying why neither
   * can start. A filter tcpdump cannot compile for the ring stops here: tcpdump would refuse it
   * too.
   */
  private PacketCapture open() {
    if (!"tcpdump".equals(captureWith)) {
      String why = PacketRings.unavailable();
      if (why == null) {
        BpfProgram program = null;
        if (filter != null) {
          try {
            program = BpfProgram.compile(tcpdump, iface, filter, PacketRings.SNAP_LENGTH);
          } catch (IOException e) {
            err.println("minewatch watch: " + e.getMessage());
            return null;
          }
        }
        try {
          int mib = ringMib != null ? ringMib.intValue() : PacketRings.DEFAULT_MIB;
          return PacketRings.open(iface, mib, program, line -> err.println("minewatch: " + line));
        } catch (IOException e) {
          why = e.getMessage();
        }
      }
      if ("ring".equals(captureWith)) {
        err.println("minewatch watch: " + why);
        return null;
      }
      err.println(
          "minewatch: "
              + why
              + "; capturing through tcpdump"
              + (ringMib != null
                  ? " (--ring-mib does not apply: its kernel buffer is 64 MiB)"
                  : ""));
    }
    try {
      return TcpdumpCapture.start(
          tcpdump, iface, filter, line -> err.println("minewatch: " + line));
    } catch (IOException e) {
      err.println(
          "minewatch watch: cannot start "
              + tcpdump
              + " (apt-get install tcpdump): "
              + e.getMessage());
      return null;
    }
  }

  private int capture(
      Analyzer analyzer,
      ScanStats stats,
      Intel intel,
      EvidenceAggregator aggregator,
      Delivery delivery)
      throws Exception {
    PacketCapture capture = open();
    if (capture == null) {
      return 2;
    }
    Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    Object lock =
        new Object(); // the engine is single-threaded: the reader and the timer take turns
    CaptureClock clock = new CaptureClock();
    LiveSession session =
        new LiveSession(
            intel,
            aggregator,
            PowerModel.defaults(),
            live.json(),
            out,
            err,
            () -> {
              analyzer.updateStats();
              return String.format(
                      Locale.ROOT,
                      "%,d packets read, %,d flows (at most %,d at once), %,d captured / %,d received "
                          + "by the filter / %,d dropped by the kernel (%s)",
                      stats.packets(),
                      stats.flows(),
                      stats.peakFlows(),
                      capture.captured(),
                      capture.received(),
                      capture.dropped(),
                      capture.countersFrom())
                  + (stats.bytesNotInspectedBudget() > 0
                      ? String.format(
                          Locale.ROOT,
                          ", %,d bytes of payload not inspected: buffer budget",
                          stats.bytesNotInspectedBudget())
                      : "");
            },
            (int) live.statsEvery,
            live.seconds());
    if (delivery != null) {
      session.sendTo(delivery);
    }
    if (liveProbe != null) {
      session.probeWith(liveProbe);
    }
    session.stopOnSignal(capture::stop);
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "minewatch-timer");
              t.setDaemon(true);
              return t;
            });
    if (live.statsEvery > 0) {
      // The kernel's counters are asked for just before each statistics line (tcpdump answers a
      // moment later).
      java.util.concurrent.Future<?> unused =
          timer.scheduleAtFixedRate(
              capture::requestStatistics,
              Math.max(1, live.statsEvery - 1L),
              live.statsEvery,
              TimeUnit.SECONDS);
    }
    java.util.concurrent.Future<?> unused =
        timer.scheduleAtFixedRate(
            () -> {
              synchronized (lock) {
                try {
                  analyzer.clock(clock.now());
                  if (!session.tick()) {
                    capture.stop();
                  }
                } catch (IOException e) {
                  err.println("minewatch: cannot write findings: " + e.getMessage());
                  capture.stop();
                } catch (RuntimeException e) {
                  // A task that throws is never run again: rather than capture on with no findings
                  // printed, say why and stop.
                  err.println("minewatch: cannot report findings: " + e);
                  capture.stop();
                }
              }
            },
            250,
            250,
            TimeUnit.MILLISECONDS);
    Path source = Path.of(iface);
    synchronized (lock) {
      analyzer.startFile(source); // the timer has started
    }
    int status;
    try {
      capture.deliver(
          source,
          new CaptureListener() {
            @Override
            public void packet(Packet packet) {
              synchronized (lock) {
                clock.packet(packet.timestampNanos());
                analyzer.packet(packet);
              }
            }

            @Override
            public void malformedRecord(Path file, long recordNumber, long offset, String reason) {
              synchronized (lock) {
                analyzer.malformedRecord(file, recordNumber, offset, reason);
              }
            }
          });
    } catch (IOException e) {
      err.println("minewatch watch: " + e.getMessage()); // its status says it failed
    } finally {
      capture.stop(); // the stream ended or failed: make sure tcpdump goes too
      status = capture.waitFor(10);
      capture.close();
      timer.shutdownNow();
      synchronized (lock) {
        analyzer.finishFile();
        analyzer.finish();
        if (liveProbe != null) {
          liveProbe.close();
        }
        session.finish(live.output);
      }
    }
    if (status != 0 && stats.packets() == 0) {
      if (capture instanceof TcpdumpCapture) {
        err.println("minewatch watch: tcpdump stopped with status " + status + " before capturing");
      }
      return 2;
    }
    int sent = delivery != null ? delivery.finish() : 0;
    return session.outputFailed() ? Math.max(1, sent) : sent;
  }
}
