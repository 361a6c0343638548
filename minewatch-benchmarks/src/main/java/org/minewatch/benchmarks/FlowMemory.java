package org.minewatch.benchmarks;

import org.minewatch.capture.Packet;
import org.minewatch.decode.DecodedPacket;
import org.minewatch.decode.PacketDecoder;
import org.minewatch.flow.Flow;
import org.minewatch.flow.FlowTable;

/**
 * Measures the heap a tracked flow costs (object plus its share of the table's slots): fills a flow
 * table with N flows of distinct ports and divides the heap growth by N. Each flow is one UDP
 * datagram ({@code udp}, the default), one TCP SYN ({@code syn}: a SYN flood's flows) or a SYN and
 * its SYN+ACK ({@code handshake}).
 *
 * <p>Run: {@code java -Xmx2g -cp minewatch-benchmarks/target/benchmarks.jar
 * org.minewatch.benchmarks.FlowMemory [N [udp|syn|handshake]]}
 */
public final class FlowMemory {
  private FlowMemory() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    String kind = args.length > 1 ? args[1] : "udp";
    boolean tcp = !kind.equals("udp");
    int packets = kind.equals("handshake") ? 2 : 1;
    if (!kind.equals("udp") && !kind.equals("syn") && !kind.equals("handshake")) {
      throw new IllegalArgumentException("kind must be udp, syn or handshake, not " + kind);
    }
    byte[] ip = new byte[tcp ? 40 : 28];
    ip[0] = 0x45;
    ip[3] = (byte) ip.length;
    ip[9] = (byte) (tcp ? 6 : 17);
    FlowTable table = new FlowTable(n, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, (f, why) -> {});
    DecodedPacket d = new DecodedPacket();
    // Client 10.a.b.0 with port i's low 16 bits, server 10.0.0.1:53: every flow apart.
    byte[] client = {10, 0, 0, 0};
    byte[] server = {10, 0, 0, 1};
    long before = used();
    Flow last = null;
    for (int i = 0; i < n; i++) {
      client[1] = (byte) (i >>> 16);
      client[2] = (byte) (i >>> 8);
      int port = i & 0xffff;
      for (int k = 0; k < packets; k++) {
        boolean answer = k == 1; // the SYN+ACK goes the other way
        System.arraycopy(answer ? server : client, 0, ip, 12, 4);
        System.arraycopy(answer ? client : server, 0, ip, 16, 4);
        putPort(ip, answer ? 22 : 20, port);
        putPort(ip, answer ? 20 : 22, 53);
        if (tcp) {
          ip[24] = (byte) (i >>> 8); // sequence number
          ip[25] = (byte) i;
          ip[32] = 0x50; // a 20-byte header
          ip[33] = (byte) (answer ? 0x12 : 0x02); // SYN+ACK, SYN
        }
        PacketDecoder.decode(Packet.of(ip, 0, ip.length, ip.length, i, 101), d);
        last = table.track(d);
      }
    }
    long after = used();
    System.out.printf(
        "%d flows (%s): %.1f bytes per flow (table and flows; no payload buffers)%n",
        table.size(), kind, (after - before) / (double) n);
    if (last == null) {
      throw new IllegalStateException();
    }
  }

  private static void putPort(byte[] ip, int at, int port) {
    ip[at] = (byte) (port >>> 8);
    ip[at + 1] = (byte) port;
  }

  private static long used() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }
}
