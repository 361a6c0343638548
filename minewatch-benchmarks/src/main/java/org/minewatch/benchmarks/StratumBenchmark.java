package org.minewatch.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.minewatch.detect.Outcome;
import org.minewatch.detect.stratum.StratumDetector;
import org.minewatch.flow.Flow;
import org.minewatch.flow.FlowTable;
import org.minewatch.testkit.MiningSessions;
import org.minewatch.testkit.TrafficBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Stratum detector on the first bytes of a direction: a mining.notify push (parsed with the
 * bounded JSON parser and recognised), an XMRig submit, and the common negatives it must reject
 * fast (an HTTP request, TLS).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StratumBenchmark {
  private final StratumDetector detector = new StratumDetector();
  private Flow flow;
  private byte[] notify;
  private byte[] xmrSubmit;
  private byte[] http;
  private byte[] tls;

  @Setup
  public void setUp() {
    Random r = new Random(1);
    notify = MiningSessions.bitcoinNotify(r, "4f").getBytes(StandardCharsets.US_ASCII);
    xmrSubmit =
        ("{\"id\":7,\"jsonrpc\":\"2.0\",\"method\":\"submit\",\"params\":{\"id\":\"a1b2\",\"job_id\":\"j9\","
                + "\"nonce\":\"deadbeef\",\"result\":\""
                + "ab".repeat(32)
                + "\"}}\n")
            .getBytes(StandardCharsets.US_ASCII);
    http =
        "GET /index.html HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: Mozilla/5.0\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    tls = new byte[517];
    r.nextBytes(tls);
    tls[0] = 0x16;
    tls[1] = 0x03;
    tls[2] = 0x01;
    // A real flow object for the detector's signature; its contents do not matter here.
    TrafficBuilder t = new TrafficBuilder(Instant.EPOCH);
    t.udp("10.0.0.1", 1, "10.0.0.2", 2, new byte[1]);
    byte[] ip = t.frames().get(0).ipPacket();
    org.minewatch.decode.DecodedPacket d = new org.minewatch.decode.DecodedPacket();
    org.minewatch.decode.PacketDecoder.decode(
        org.minewatch.capture.Packet.of(ip, 0, ip.length, ip.length, 0, 101), d);
    flow = new FlowTable((f, why) -> {}).track(d);
  }

  @Benchmark
  public Outcome miningNotify() {
    return detector.inspect(flow, true, notify, 0, notify.length);
  }

  @Benchmark
  public Outcome xmrigSubmit() {
    return detector.inspect(flow, true, xmrSubmit, 0, xmrSubmit.length);
  }

  @Benchmark
  public Outcome httpRequestRejected() {
    return detector.inspect(flow, true, http, 0, http.length);
  }

  @Benchmark
  public Outcome tlsRejected() {
    return detector.inspect(flow, true, tls, 0, tls.length);
  }
}
