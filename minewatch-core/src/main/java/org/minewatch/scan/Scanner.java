package org.minewatch.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.minewatch.capture.CaptureFile;
import org.minewatch.capture.CaptureFormatException;
import org.minewatch.capture.CaptureListener;
import org.minewatch.capture.Packet;
import org.minewatch.detect.behaviour.BehaviourJudge;
import org.minewatch.estimate.PowerModel;
import org.minewatch.evidence.EvidenceAggregator;
import org.minewatch.evidence.Finding;
import org.minewatch.flow.FlowTable;
import org.minewatch.flow.StreamBudget;
import org.minewatch.flowrecord.ExportDecoder;
import org.minewatch.flowrecord.FlowRecordAnalyzer;
import org.minewatch.flowrecord.IpfixFile;
import org.minewatch.flowrecord.NfdumpCsv;
import org.minewatch.intel.AddressNames;
import org.minewatch.intel.Intel;
import org.minewatch.intel.PoolCatalogue;
import org.minewatch.io.Inputs;
import org.minewatch.logs.LogAnalyzer;
import org.minewatch.logs.LogFormat;
import org.minewatch.logs.LogReader;
import org.minewatch.model.Endpoint;
import org.minewatch.operation.Operation;
import org.minewatch.probe.PoolCheck;
import org.minewatch.probe.PoolConfirmations;
import org.minewatch.probe.ProbeCandidates;
import org.minewatch.probe.ProbeResult;

/**
 * Scans capture files and directories of them with one flow table, so that a conversation split
 * over rotated files stays one flow. A file that cannot be read is reported and skipped; what was
 * found before a fault is kept.
 */
public final class Scanner {
  /** Names that claim to be captures; other files met in directories are skipped quietly if not. */
  private static final List<String> CAPTURE_SUFFIXES =
      List.of(".pcap", ".pcapng", ".cap", ".dmp", ".pcap.gz", ".pcapng.gz", ".gz", ".trace");

  private static final long PROGRESS_EVERY_NANOS = 2_000_000_000L;

  private final ScanReporter reporter;
  private final int maxFlows;
  private final PowerModel powerModel;
  private final PoolCatalogue catalogue;
  private final long bufferBudget;
  private int threads = 1;
  private PoolCheck poolCheck;

  public Scanner(
      ScanReporter reporter, int maxFlows, PowerModel powerModel, PoolCatalogue catalogue) {
    this(reporter, maxFlows, StreamBudget.DEFAULT_BYTES, powerModel, catalogue);
  }

  /**
   * @param bufferBudget bytes the reassembly buffers of all flows may hold together
   */
  public Scanner(
      ScanReporter reporter,
      int maxFlows,
      long bufferBudget,
      PowerModel powerModel,
      PoolCatalogue catalogue) {
    this.reporter = reporter;
    this.maxFlows = maxFlows;
    this.bufferBudget = bufferBudget;
    this.powerModel = powerModel;
    this.catalogue = catalogue;
  }

  public Scanner(ScanReporter reporter) {
    this(reporter, FlowTable.DEFAULT_MAX_FLOWS, PowerModel.defaults(), PoolCatalogue.defaults());
  }

  /**
   * Scans on {@code n} threads: 1, the calling thread alone; more, the calling thread reads and
   * decodes and {@code n - 1} workers analyse. The findings are the same; the flow and buffer
   * limits are shared out among the workers.
   */
  public Scanner threads(int n) {
    if (n < 1 || n > MAX_THREADS) {
      throw new IllegalArgumentException("threads must be 1 to " + MAX_THREADS);
    }
    this.threads = n;
    return this;
  }

  /**
   * Probes after the scan: the servers of suspects and of leads (connections shaped like the start
   * of a mining session, too short to judge) go to {@code check}; the hosts talking to a confirmed
   * pool become {@code mining}, leads included. Without it, no lead is made.
   */
  public Scanner probing(PoolCheck check) {
    this.poolCheck = check;
    return this;
  }

  /** The most threads a scan runs. */
  public static final int MAX_THREADS = 64;

  /** Findings, the operations behind them, and the counters of a finished scan. */
  public record Result(List<Finding> findings, List<Operation> operations, ScanStats stats) {}

  /** How messages name standard input, given as {@code -}. */
  static final Path STANDARD_INPUT = Path.of("standard input");

  /**
   * A file to read, whether the user named it (a fault is then always an error), and whether it is
   * read as a stream: standard input, a pipe, a FIFO, {@code <(command)}, which cannot seek.
   */
  private record Input(Path path, boolean named, boolean stream) {}

  public Result scan(List<Path> inputs) {
    ScanStats stats = new ScanStats();
    EvidenceAggregator aggregator = new EvidenceAggregator(catalogue);
    Intel intel;
    PacketAnalysis analysis;
    BehaviourJudge judge =
        poolCheck == null ? BehaviourJudge.builtIn() : BehaviourJudge.builtIn().withLeads();
    if (threads > 1) {
      int workers = threads - 1;
      WorkerPositions positions = new WorkerPositions(workers);
      intel = new Intel(catalogue, new AddressNames(AddressNames.DEFAULT_CAPACITY, positions));
      analysis =
          new ParallelAnalysis(
              workers,
              positions,
              catalogue,
              () -> Detectors.standard(intel),
              aggregator,
              stats,
              reporter,
              maxFlows,
              judge,
              bufferBudget);
    } else {
      intel = new Intel(catalogue, new AddressNames());
      analysis =
          new Analyzer(
              Detectors.standard(intel),
              aggregator,
              stats,
              reporter,
              maxFlows,
              judge,
              bufferBudget);
    }
    for (Input input : expand(inputs, stats)) {
      readOne(input, analysis, stats, intel, aggregator);
    }
    // The flows still open are packets' whatever input came last (a log, flow records).
    aggregator.source("packets");
    analysis.finish();
    List<Finding> found = aggregator.findings();
    if (poolCheck != null) {
      found = confirmPools(found, aggregator);
    }
    Conclusions done = Conclusions.of(found, intel, powerModel);
    stats.findings = done.findings().size();
    stats.endNanos = System.nanoTime();
    return new Result(done.findings(), done.operations(), stats);
  }

  /** Probes the suspects' servers, then the leads'; confirmed pools make their hosts mining. */
  private List<Finding> confirmPools(List<Finding> found, EvidenceAggregator aggregator) {
    Set<Endpoint> candidates = new LinkedHashSet<>(ProbeCandidates.of(found));
    candidates.addAll(aggregator.leadServers());
    if (aggregator.leadsDropped() > 0) {
      reporter.problem(
          aggregator.leadsDropped()
              + " leads for the probe not kept: more than "
              + EvidenceAggregator.MAX_LEADS
              + " in one scan");
    }
    Map<Endpoint, ProbeResult> pools = poolCheck.confirm(List.copyOf(candidates));
    pools.forEach(
        (server, r) ->
            aggregator.confirmLeads(
                server,
                r.confirmation().protocol(),
                r.confirmation().coin(),
                r.confirmation().algorithm(),
                r.sentence()));
    return PoolConfirmations.apply(aggregator.findings(), pools);
  }

  private void readOne(
      Input input,
      PacketAnalysis analyzer,
      ScanStats stats,
      Intel intel,
      EvidenceAggregator aggregator) {
    if (input.stream()) {
      readStream(input.path(), analyzer, stats, intel, aggregator);
      return;
    }
    Path file = input.path();
    InputFormat format = InputFormat.of(file);
    switch (format) {
      case ZEEK_TSV, ZEEK_JSON, SURICATA_EVE -> {
        analyzer.drain();
        readLog(file, format.logFormat(), () -> Inputs.open(file), stats, intel, aggregator);
        return;
      }
      case IPFIX, NFDUMP_CSV -> {
        analyzer.drain();
        readFlowRecords(file, format, () -> Inputs.open(file), stats, intel, aggregator);
        return;
      }
      case UNKNOWN -> {
        if (!input.named() && !claimsCapture(file)) {
          stats.skippedFiles++;
          return;
        }
      }
      default -> {}
    }
    aggregator.source("packets");
    analyzer.startFile(file);
    try {
      CaptureFile.read(file, listener(file, analyzer, stats));
      stats.files++;
    } catch (CaptureFormatException e) {
      stats.unreadableFiles++;
      reporter.problem(
          e.getMessage()
              + "; nor a flow export (IPFIX file, nfdump CSV) or a Zeek or Suricata EVE log");
    } catch (IOException e) {
      // A file that fails mid-way keeps what it delivered; the scan goes on with the next file.
      stats.unreadableFiles++;
      reporter.problem(file + ": cannot be read: " + Inputs.reason(e));
    } catch (ParallelAnalysis.WorkerFailed e) {
      throw e;
    } catch (RuntimeException e) {
      stats.unreadableFiles++;
      reporter.problem(file + ": cannot be read: " + e);
    }
    analyzer.finishFile();
  }

  /**
   * Reads standard input ({@code -}) or a pipe: the format is recognised from the first bytes
   * (after gzip) without seeking, and the content goes through the same readers as a file's.
   */
  private void readStream(
      Path path,
      PacketAnalysis analyzer,
      ScanStats stats,
      Intel intel,
      EvidenceAggregator aggregator) {
    boolean stdin = path.toString().equals("-");
    Path name = stdin ? STANDARD_INPUT : path;
    Inputs.Peeked in;
    InputFormat format;
    try {
      // Standard input is not closed: it is not ours.
      in =
          Inputs.peek(
              stdin
                  ? new java.io.FilterInputStream(System.in) {
                    @Override
                    public void close() {}
                  }
                  : Files.newInputStream(path),
              InputFormat.HEAD);
      format = InputFormat.of(in.head());
    } catch (IOException e) {
      stats.unreadableFiles++;
      reporter.problem(name + ": cannot be read: " + Inputs.reason(e));
      return;
    }
    try (InputStream content = in.stream()) {
      switch (format) {
        case ZEEK_TSV, ZEEK_JSON, SURICATA_EVE -> {
          analyzer.drain();
          readLog(name, format.logFormat(), () -> content, stats, intel, aggregator);
        }
        case IPFIX, NFDUMP_CSV -> {
          analyzer.drain();
          readFlowRecords(name, format, () -> content, stats, intel, aggregator);
        }
        default -> {
          aggregator.source("packets");
          analyzer.startFile(name);
          try {
            CaptureFile.read(
                name,
                content,
                CaptureFile.sniff(in.head(), in.head().length),
                listener(name, analyzer, stats));
            stats.files++;
          } catch (CaptureFormatException e) {
            stats.unreadableFiles++;
            reporter.problem(
                (in.head().length == 0 ? name + ": empty input" : e.getMessage())
                    + "; nor a flow export (IPFIX file, nfdump CSV) or a Zeek or Suricata EVE log");
          } catch (IOException e) {
            stats.unreadableFiles++;
            reporter.problem(name + ": cannot be read: " + Inputs.reason(e));
          }
          analyzer.finishFile();
        }
      }
    } catch (IOException e) {
      reporter.problem(name + ": cannot be closed: " + Inputs.reason(e));
    }
  }

  /** Hands each packet to the analyzer, with a progress line now and then. */
  private CaptureListener listener(Path file, PacketAnalysis analyzer, ScanStats stats) {
    long[] lastProgress = {System.nanoTime()};
    return new CaptureListener() {
      @Override
      public void packet(Packet packet) {
        analyzer.packet(packet);
        if ((stats.packets & 0xfffff) == 0) {
          long now = System.nanoTime();
          if (now - lastProgress[0] >= PROGRESS_EVERY_NANOS) {
            lastProgress[0] = now;
            analyzer.updateStats();
            reporter.progress(stats, file.toString());
          }
        }
      }

      @Override
      public void malformedRecord(Path f, long recordNumber, long fileOffset, String reason) {
        analyzer.malformedRecord(f, recordNumber, fileOffset, reason);
      }

      @Override
      public byte[] freshArray(int minLength) {
        return analyzer.freshArray(minLength);
      }
    };
  }

  private List<Input> expand(List<Path> inputs, ScanStats stats) {
    List<Input> out = new ArrayList<>();
    for (Path p : inputs) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(Files::isRegularFile)
              .sorted()
              .forEach(f -> out.add(new Input(f, false, false)));
        } catch (IOException e) {
          stats.unreadableFiles++;
          reporter.problem(p + ": directory cannot be listed: " + Inputs.reason(e));
        }
      } else if (p.toString().equals("-")) {
        out.add(new Input(p, true, true));
      } else if (Files.isRegularFile(p)) {
        out.add(new Input(p, true, false));
      } else if (Files.exists(p)) {
        out.add(new Input(p, true, true)); // a FIFO, /dev/stdin on a pipe, <(command)'s /dev/fd/N
      } else {
        stats.unreadableFiles++;
        reporter.problem(p + ": no such file or directory");
      }
    }
    return out;
  }

  /**
   * Reads a Zeek or Suricata log (plain or gzip) into evidence; bad lines are reported and skipped.
   */
  /** Opens an input's content, decompressed. */
  @FunctionalInterface
  private interface Opener {
    InputStream open() throws IOException;
  }

  private void readLog(
      Path file,
      LogFormat format,
      Opener opener,
      ScanStats stats,
      Intel intel,
      EvidenceAggregator aggregator) {
    LogAnalyzer logs = new LogAnalyzer(intel, aggregator, file.getFileName().toString());
    aggregator.source(format == LogFormat.SURICATA_EVE ? "suricata-eve" : "zeek");
    try (java.io.BufferedReader in = Inputs.text(opener.open())) {
      stats.logRecords +=
          LogReader.read(file.toString(), in, format, logs::record, reporter::problem);
      stats.files++;
    } catch (IOException e) {
      stats.unreadableFiles++;
      reporter.problem(file + ": cannot be read: " + Inputs.reason(e));
    } catch (RuntimeException e) {
      stats.unreadableFiles++;
      reporter.problem(file + ": cannot be read: " + e);
    }
  }

  /**
   * Reads flow records (an IPFIX file, an nfdump CSV export) into evidence; bad records are
   * reported and skipped.
   */
  private void readFlowRecords(
      Path file,
      InputFormat format,
      Opener opener,
      ScanStats stats,
      Intel intel,
      EvidenceAggregator aggregator) {
    String name = file.getFileName().toString();
    FlowRecordAnalyzer flows =
        new FlowRecordAnalyzer(intel, new LogAnalyzer(intel, aggregator, name));
    aggregator.source(format == InputFormat.IPFIX ? "ipfix" : "nfdump");
    try {
      if (format == InputFormat.IPFIX) {
        try (InputStream in = opener.open()) {
          // Each record in one reused view: no object per record.
          IpfixFile.readInto(file.toString(), in, new ExportDecoder(), flows, reporter::problem);
        }
      } else {
        try (java.io.BufferedReader in = Inputs.text(opener.open())) {
          NfdumpCsv.read(file.toString(), in, flows::record, reporter::problem);
        }
      }
      stats.files++;
    } catch (IOException e) {
      stats.unreadableFiles++;
      reporter.problem(file + ": cannot be read: " + Inputs.reason(e));
    } catch (RuntimeException e) {
      stats.unreadableFiles++;
      reporter.problem(file + ": cannot be read: " + e);
    }
    flows.finish();
    stats.flowRecords += flows.records();
  }

  private static boolean claimsCapture(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    for (String s : CAPTURE_SUFFIXES) {
      if (name.endsWith(s)) {
        return true;
      }
    }
    return false;
  }
}
