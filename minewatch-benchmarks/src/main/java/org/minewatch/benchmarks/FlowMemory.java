package org.minewatch.benchmarks;

import org.minewatch.capture.Packet;
import org.minewatch.decode.DecodedPacket;
import org.minewatch.decode.PacketDecoder;
import org.minewatch.flow.Flow;
import org.minewatch.flow.FlowTable;

/**
 * Measures the heap a tracked flow costs (object plus its share of the table's slots): fills a flow
 * table with N flows of distinct ports and divides the heap growth by N.
 *
 * <p>Run: {@code java -Xmx2g -cp minewatch-benchmarks/target/benchmarks.jar
 * org.minewatch.benchmarks.FlowMemory}
 */
public final class FlowMemory {
  private FlowMemory() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    byte[] ip = new byte[20 + 8];
    ip[0] = 0x45;
    ip[3] = 28;
    ip[9] = 17;
    ip[12] = 10;
    ip[16] = 10;
    ip[19] = 1;
    FlowTable table = new FlowTable(n, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, (f, why) -> {});
    DecodedPacket d = new DecodedPacket();
    long before = used();
    Flow last = null;
    for (int i = 0; i < n; i++) {
      ip[14] = (byte) (i >>> 16);
      ip[15] = (byte) (i >>> 8);
      ip[20] = (byte) (i >>> 8);
      ip[21] = (byte) i;
      ip[23] = 53;
      PacketDecoder.decode(Packet.of(ip, 0, ip.length, ip.length, i, 101), d);
      last = table.track(d);
    }
    long after = used();
    System.out.printf(
        "%d flows: %.1f bytes per flow (table and flows; no payload buffers)%n",
        table.size(), (after - before) / (double) n);
    if (last == null) {
      throw new IllegalStateException();
    }
  }

  private static long used() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }
}
