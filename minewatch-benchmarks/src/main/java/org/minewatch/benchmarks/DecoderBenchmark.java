package org.minewatch.benchmarks;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.minewatch.capture.Packet;
import org.minewatch.decode.DecodedPacket;
import org.minewatch.decode.PacketDecoder;
import org.minewatch.testkit.PcapWriter;
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

/** Link, IP and transport decoding of one packet, in place: the per-packet cost before flows. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecoderBenchmark {
  private Packet ethernetTcp4;
  private Packet vlanTcp6;
  private final DecodedPacket out = new DecodedPacket();

  @Setup
  public void setUp() {
    TrafficBuilder t = new TrafficBuilder(Instant.EPOCH);
    t.tcp("10.0.0.1", 50000, "203.0.113.9", 3333)
        .client("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}\n");
    t.tcp("2001:db8::1", 50000, "2001:db8::9", 3333)
        .client("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}\n");
    byte[] a = PcapWriter.frame(PcapWriter.Link.ETHERNET, t.frames().get(0).ipPacket());
    byte[] b = PcapWriter.frame(PcapWriter.Link.ETHERNET_VLAN, t.frames().get(2).ipPacket());
    ethernetTcp4 = Packet.of(a, 0, a.length, a.length, 0, 1);
    vlanTcp6 = Packet.of(b, 0, b.length, b.length, 0, 1);
  }

  @Benchmark
  public int ethernetIpv4Tcp() {
    PacketDecoder.decode(ethernetTcp4, out);
    return out.payloadLength() + out.dstPort();
  }

  @Benchmark
  public int vlanIpv6Tcp() {
    PacketDecoder.decode(vlanTcp6, out);
    return out.payloadLength() + out.dstPort();
  }
}
