package org.minewatch.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.minewatch.evidence.EvidenceAggregator;
import org.minewatch.evidence.Finding;
import org.minewatch.flowrecord.ExportDecoder;
import org.minewatch.flowrecord.FlowRecordAnalyzer;
import org.minewatch.flowrecord.UdpCollector;
import org.minewatch.intel.Intel;
import org.minewatch.logs.LogAnalyzer;

/**
 * Exports captures one by one through softflowd (NetFlow v9 or IPFIX) into one collector, each
 * analysed alone.
 */
final class SoftflowdExporter implements AutoCloseable {
  private static final String MARK = "end-of-capture";
  private final UdpCollector collector;
  private final ExportDecoder decoder = new ExportDecoder();
  private final Thread receiver;
  private final Path pidFile;
  private final String version;
  private final List<String> options;
  private volatile FlowRecordAnalyzer current;
  private volatile CountDownLatch marked;

  /** Malformed datagrams counted so far (the receiver's thread only). */
  private long markers;

  SoftflowdExporter(Path pidFile, String version) throws IOException {
    this(pidFile, version, List.of());
  }

  /**
   * {@code options} are softflowd's own, e.g. a short active timeout: {@code -t maxlife=30 -m 4}
   * (reading a capture, softflowd expires flows only between batches of {@code -m} packets).
   */
  SoftflowdExporter(Path pidFile, String version, List<String> options) throws IOException {
    this.pidFile = pidFile;
    this.version = version;
    this.options = options;
    collector = new UdpCollector(new InetSocketAddress("127.0.0.1", 0));
    receiver =
        new Thread(
            () -> {
              try {
                // Our marker is the one malformed datagram of each capture: once it is counted,
                // every datagram sent
                // before it has been decoded. (Its report may not come: the collector tells only
                // the first few.)
                collector.run(
                    decoder,
                    r -> current.record(r),
                    problem -> {},
                    () -> {
                      if (collector.malformed() > markers) {
                        markers = collector.malformed();
                        marked.countDown();
                      }
                    },
                    100);
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    receiver.start();
  }

  /** The records of one capture, analysed with {@code intel}; empty if softflowd cannot read it. */
  List<Finding> findings(Path capture, Intel intel) throws Exception {
    EvidenceAggregator aggregator = new EvidenceAggregator(n -> null);
    FlowRecordAnalyzer flows =
        new FlowRecordAnalyzer(
            intel,
            new LogAnalyzer(intel, aggregator, version.equals("9") ? "netflow-v9" : "ipfix"));
    current = flows;
    marked = new CountDownLatch(1);
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                "softflowd",
                "-r",
                capture.toString(),
                "-n",
                "127.0.0.1:" + collector.localAddress().getPort(),
                "-v",
                version,
                "-d",
                "-a",
                "-p",
                pidFile.toString()));
    command.addAll(options);
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    try (DatagramSocket s = new DatagramSocket()) {
      byte[] m = MARK.getBytes(StandardCharsets.US_ASCII);
      s.send(
          new DatagramPacket(
              m, m.length, InetAddress.getLoopbackAddress(), collector.localAddress().getPort()));
    }
    assertThat(marked.await(10, TimeUnit.SECONDS)).as("the collector took %s", capture).isTrue();
    flows.finish();
    return aggregator.findings();
  }

  long records() {
    return decoder.records();
  }

  @Override
  public void close() throws InterruptedException {
    collector.close();
    receiver.join(5000);
  }
}
