package org.minewatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.capture.CaptureListener;
import org.minewatch.capture.LinkType;
import org.minewatch.capture.Packet;
import org.minewatch.cli.live.BpfProgram;
import org.minewatch.cli.live.PacketCapture;
import org.minewatch.cli.live.PacketRings;

/**
 * The kernel's capture ring (Java 22+: the build runs this class on a JDK 22+ in a surefire
 * execution of its own, see minewatch-cli/pom.xml; on Java 17 it skips). Needs root or CAP_NET_RAW
 * (CI runs as root); captures on the loopback interface, where other processes' traffic passes too,
 * so each test picks out its own packets.
 */
class PacketRingTest extends ConsoleTest {
  private static final String WALLET =
      "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";

  @TempDir Path dir;

  private static void assumeRing() {
    assumeTrue(
        Runtime.version().feature() >= 22,
        "the ring needs Java 22+: this class runs in the 'ring' surefire execution; skipped here");
    try {
      PacketRings.open("lo", line -> {}).close();
    } catch (IOException e) {
      assumeTrue(false, "the ring cannot open on lo here (" + e.getMessage() + "); skipped");
    }
  }

  /** Collects copies of the UDP datagrams to {@code port} that the capture delivers. */
  private static final class Datagrams implements CaptureListener {
    final int port;
    final List<byte[]> frames = new ArrayList<>();
    final List<Integer> wireLengths = new ArrayList<>();
    final List<Integer> linkTypes = new ArrayList<>();

    Datagrams(int port) {
      this.port = port;
    }

    @Override
    public void packet(Packet p) {
      byte[] b = p.buffer();
      int o = p.offset();
      boolean mine =
          p.capturedLength() >= 42
              && (b[o + 12] & 0xff) == 0x08
              && b[o + 13] == 0
              && b[o + 23] == 17
              && ((b[o + 36] & 0xff) << 8 | (b[o + 37] & 0xff)) == port;
      if (mine) {
        synchronized (this) {
          frames.add(Arrays.copyOfRange(b, o, o + p.capturedLength()));
          wireLengths.add(p.wireLength());
          linkTypes.add(p.linkType());
        }
      }
    }

    synchronized int count() {
      return frames.size();
    }

    @Override
    public void malformedRecord(Path file, long recordNumber, long fileOffset, String reason) {}
  }

  @Test
  void ringDeliversEachLoopbackDatagramOnceWithItsBytesAndCounts() throws Exception {
    assumeRing();
    try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket sender = new DatagramSocket();
        PacketCapture ring = PacketRings.open("lo", line -> {})) {
      Datagrams seen = new Datagrams(receiver.getLocalPort());
      CompletableFuture<Void> reading =
          CompletableFuture.runAsync(
              () -> {
                try {
                  ring.deliver(Path.of("lo"), seen);
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      for (int i = 0; i < 50; i++) {
        byte[] payload = ("minewatch ring " + i).getBytes(StandardCharsets.US_ASCII);
        sender.send(
            new DatagramPacket(
                payload,
                payload.length,
                InetAddress.getLoopbackAddress(),
                receiver.getLocalPort()));
      }
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (seen.count() < 50 && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      Thread.sleep(300); // a second copy of any datagram would have come by now
      ring.stop();
      reading.get(10, TimeUnit.SECONDS);
      assertThat(ring.waitFor(1)).isZero();

      // Once each (the loopback interface shows a packet going out and coming in: one is kept),
      // in order, whole, with their lengths.
      assertThat(seen.frames).hasSize(50);
      for (int i = 0; i < 50; i++) {
        byte[] frame = seen.frames.get(i);
        String payload = "minewatch ring " + i;
        assertThat(frame).hasSize(14 + 20 + 8 + payload.length());
        assertThat(new String(frame, 42, frame.length - 42, StandardCharsets.US_ASCII))
            .isEqualTo(payload);
        assertThat(seen.wireLengths.get(i)).isEqualTo(frame.length);
      }
      assertThat(seen.linkTypes).containsOnly(LinkType.ETHERNET);
      assertThat(ring.captured()).isGreaterThanOrEqualTo(50);
      assertThat(ring.received()).isGreaterThanOrEqualTo(ring.captured());
      assertThat(ring.dropped()).isZero();
      assertThat(ring.countersFrom()).isEqualTo("the kernel's PACKET_STATISTICS");
    }
  }

  /**
   * Sorts what a capture delivers on lo: IPv4 TCP to or from {@code port} (payload bytes towards
   * it, SYNs opening a connection to it), UDP datagrams to {@code udpPort}, and anything else.
   */
  private static final class Sorted implements CaptureListener {
    final int port;
    final int udpPort;
    int delivered;
    int tcp;
    int synsToPort;
    long bytesToPort;
    int udpToUdpPort;
    int others;

    Sorted(int port, int udpPort) {
      this.port = port;
      this.udpPort = udpPort;
    }

    @Override
    public synchronized void packet(Packet p) {
      delivered++;
      byte[] b = p.buffer();
      int o = p.offset();
      int n = p.capturedLength();
      if (n < 34 || (b[o + 12] & 0xff) != 0x08 || b[o + 13] != 0) {
        others++;
        return;
      }
      int ip = o + 14;
      int ipHeader = (b[ip] & 0x0f) * 4;
      int total = (b[ip + 2] & 0xff) << 8 | (b[ip + 3] & 0xff);
      int l4 = ip + ipHeader;
      int source = (b[l4] & 0xff) << 8 | (b[l4 + 1] & 0xff);
      int destination = (b[l4 + 2] & 0xff) << 8 | (b[l4 + 3] & 0xff);
      if (b[ip + 9] == 6 && (source == port || destination == port)) {
        tcp++;
        int flags = b[l4 + 13] & 0xff;
        if (destination == port && (flags & 0x12) == 0x02) {
          synsToPort++;
        }
        if (destination == port) {
          bytesToPort += total - ipHeader - ((b[l4 + 12] & 0xf0) >> 2);
        }
      } else if (b[ip + 9] == 17 && destination == udpPort) {
        udpToUdpPort++;
      } else {
        others++;
      }
    }

    @Override
    public void malformedRecord(Path file, long recordNumber, long fileOffset, String reason) {}
  }

  /** Reads on a thread of its own (the common pool may have one thread on a 2-core machine). */
  private static CompletableFuture<Void> reading(PacketCapture capture, CaptureListener listener) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            capture.deliver(Path.of("lo"), listener);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        },
        task -> new Thread(task, "ring-reader").start());
  }

  /** Sends {@code messages} on a new connection to {@code server} and reads them there. */
  private static long talk(ServerSocket server, String tag, int messages) throws Exception {
    long sent = 0;
    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket accepted = server.accept()) {
      for (int i = 0; i < messages; i++) {
        byte[] message = (tag + " " + i + "\n").getBytes(StandardCharsets.US_ASCII);
        client.getOutputStream().write(message);
        sent += message.length;
      }
      client.shutdownOutput();
      assertThat(accepted.getInputStream().readAllBytes()).hasSize((int) sent);
    }
    return sent;
  }

  /**
   * A ring with the filter {@code tcp port P} and one without, side by side on lo, while the test
   * talks TCP to P and to another port and sends UDP to P and to a listening port: the filtered
   * ring is given P's TCP packets and nothing else, and the kernel's counters count those only
   * (each twice: lo shows a packet going out and coming in). The unfiltered ring shows the rest was
   * there to be rejected.
   */
  @Test
  void aFilterLetsOnlyItsPacketsIntoTheRingAndTheCounters() throws Exception {
    assumeRing();
    try (ServerSocket kept = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket sender = new DatagramSocket()) {
      int port = kept.getLocalPort();
      BpfProgram program =
          BpfProgram.compile("tcpdump", "lo", "tcp port " + port, PacketRings.SNAP_LENGTH);
      Sorted filtered = new Sorted(port, udp.getLocalPort());
      Sorted all = new Sorted(port, udp.getLocalPort());
      long sent;
      long sentElsewhere;
      try (PacketCapture ring = PacketRings.open("lo", 8, program, line -> {});
          PacketCapture control = PacketRings.open("lo", 8, null, line -> {})) {
        CompletableFuture<Void> readingFiltered = reading(ring, filtered);
        CompletableFuture<Void> readingAll = reading(control, all);
        for (int i = 0; i < 20; i++) {
          byte[] payload = ("udp " + i).getBytes(StandardCharsets.US_ASCII);
          InetAddress lo = InetAddress.getLoopbackAddress();
          sender.send(new DatagramPacket(payload, payload.length, lo, udp.getLocalPort()));
          sender.send(new DatagramPacket(payload, payload.length, lo, port)); // UDP to P: no
        }
        sentElsewhere = talk(other, "elsewhere", 30);
        sent = talk(kept, "kept", 40);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
          synchronized (all) {
            synchronized (filtered) {
              if (filtered.bytesToPort == sent && all.udpToUdpPort == 20) {
                break;
              }
            }
          }
          Thread.sleep(20);
        }
        Thread.sleep(300); // the connections' last packets (FIN, ACK) and any stray
        ring.stop();
        control.stop();
        readingFiltered.get(10, TimeUnit.SECONDS);
        readingAll.get(10, TimeUnit.SECONDS);

        synchronized (filtered) {
          assertThat(filtered.others).isZero();
          assertThat(filtered.udpToUdpPort).isZero();
          assertThat(filtered.synsToPort).isEqualTo(1);
          assertThat(filtered.bytesToPort).isEqualTo(sent);
          assertThat(filtered.tcp).isEqualTo(filtered.delivered);
          assertThat(ring.captured()).isEqualTo(filtered.delivered);
          assertThat(ring.received()).isEqualTo(2L * filtered.delivered);
          assertThat(ring.dropped()).isZero();
        }
        synchronized (all) {
          // The same TCP to P, and what the filter kept out.
          assertThat(all.tcp).isEqualTo(filtered.tcp);
          assertThat(all.bytesToPort).isEqualTo(sent);
          assertThat(all.udpToUdpPort).isEqualTo(20);
          assertThat(all.others).isGreaterThanOrEqualTo(20 + 6); // UDP to P, the other connection
          assertThat(sentElsewhere).isPositive();
        }
      }
    }
  }

  @Test
  void watchSaysInOneLineWhyTcpdumpCannotCompileAFilter() {
    assumeRing();
    assertThat(
            MineWatch.run(
                "watch",
                "-i",
                "lo",
                "--capture",
                "ring",
                "--filter",
                "tcp port",
                "--for",
                "1",
                "--intel-dir",
                dir.resolve("no-intel").toString()))
        .isEqualTo(2);
    assertThat(stderr())
        .isEqualTo(
            "minewatch watch: --filter \"tcp port\": can't parse filter expression: syntax error\n");
  }

  /**
   * A tagged frame sent into one end of a veth pair (by tcpreplay): the kernel takes the 802.1Q tag
   * off on the other end, before the capture (VLAN offload), and keeps it in the ring's header; the
   * ring puts it back in the frame, as libpcap does.
   */
  @Test
  void aTagTheKernelTookOffIsPutBackInTheFrame() throws Exception {
    assumeRing();
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/tcpreplay")),
        "tcpreplay is not installed (apt-get install tcpreplay); skipped");
    try (VethPair veth = VethPair.createOrNull("mwt")) {
      assumeTrue(veth != null, "cannot create a veth pair here (ip(8), root); skipped");
      String a = veth.sender;
      String b = veth.receiver;
      byte[] payload = "tagged".getBytes(StandardCharsets.US_ASCII);
      byte[] frame = taggedUdpFrame(payload);
      Path pcap = dir.resolve("tagged.pcap");
      Files.write(pcap, pcapOf(frame));
      try (PacketCapture ring = PacketRings.open(b, line -> {})) {
        List<byte[]> seen = new ArrayList<>();
        CompletableFuture<Void> reading =
            CompletableFuture.runAsync(
                () -> {
                  try {
                    ring.deliver(
                        Path.of(b),
                        new CaptureListener() {
                          @Override
                          public void packet(Packet p) {
                            int o = p.offset();
                            byte[] f = Arrays.copyOfRange(p.buffer(), o, o + p.capturedLength());
                            if (f.length >= 12 && f[5] == 0x02 && f[11] == 0x01) {
                              synchronized (seen) {
                                seen.add(f);
                              }
                            }
                          }

                          @Override
                          public void malformedRecord(Path file, long n, long offset, String why) {}
                        });
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                });
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
          Process replay =
              new ProcessBuilder("/usr/bin/tcpreplay", "-q", "-i", a, pcap.toString())
                  .redirectErrorStream(true)
                  .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                  .start();
          assertThat(replay.waitFor(10, TimeUnit.SECONDS)).isTrue();
          Thread.sleep(300);
          synchronized (seen) {
            if (!seen.isEmpty()) {
              break;
            }
          }
        }
        ring.stop();
        reading.get(10, TimeUnit.SECONDS);
        synchronized (seen) {
          assertThat(seen).isNotEmpty();
          assertThat(seen.get(0)).containsExactly(frame); // 802.1Q, VLAN 7, where it was sent
        }
      }
    }
  }

  /** Ethernet, 802.1Q tag of VLAN 7, IPv4, UDP 198.18.77.1:40000 to 198.18.77.2:7777. */
  private static byte[] taggedUdpFrame(byte[] payload) {
    java.nio.ByteBuffer f = java.nio.ByteBuffer.allocate(18 + 20 + 8 + payload.length);
    f.put(new byte[] {2, 0, 0, 0, 0x77, 2, 2, 0, 0, 0, 0x77, 1});
    f.putShort((short) 0x8100).putShort((short) 7).putShort((short) 0x0800);
    f.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 8 + payload.length));
    f.putInt(0).put((byte) 64).put((byte) 17).putShort((short) 0);
    f.put(new byte[] {(byte) 198, 18, 77, 1, (byte) 198, 18, 77, 2});
    f.putShort((short) 40000).putShort((short) 7777).putShort((short) (8 + payload.length));
    f.putShort((short) 0).put(payload);
    return f.array();
  }

  /** A classic pcap (little-endian, microseconds, Ethernet) holding {@code frame} once. */
  private static byte[] pcapOf(byte[] frame) {
    java.nio.ByteBuffer p =
        java.nio.ByteBuffer.allocate(24 + 16 + frame.length)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    p.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
    p.putInt(65535).putInt(1);
    p.putInt(1_700_000_000).putInt(0).putInt(frame.length).putInt(frame.length).put(frame);
    return p.array();
  }

  @Test
  void aMissingInterfaceIsNamed() {
    assumeRing();
    assertThatThrownBy(() -> PacketRings.open("mw-no-such0", line -> {}))
        .isInstanceOf(IOException.class)
        .hasMessage("mw-no-such0: no such interface (No such device)");
  }

  @Test
  void watchOnTheRingFindsAMinerTalkingToAPoolOnTheLoopbackInterface() throws Exception {
    assumeRing();
    Path findings = dir.resolve("findings.jsonl");
    try (ServerSocket pool = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      watchWhileAMinerMines(pool, findings, "--capture", "ring");
    }
    String miner = "\"host\":\"127.0.0.1\",\"role\":\"miner\",\"verdict\":\"mining\"";
    assertThat(Files.readAllLines(findings))
        .anyMatch(l -> l.startsWith("{" + miner) && l.contains("\"login\":\"" + WALLET + "\""));
    assertThat(stderr())
        .contains("minewatch: listening on lo (AF_PACKET ring: 64 blocks of 1 MiB")
        .contains("dropped by the kernel (the kernel's PACKET_STATISTICS)")
        .contains("minewatch: stopped: ")
        .doesNotContain("tcpdump");
  }

  /** With a filter, auto keeps the ring (the filter in the kernel), of the size asked for. */
  @Test
  void watchKeepsTheRingWithAFilterAndFindsTheMinerItPasses() throws Exception {
    assumeRing();
    Path findings = dir.resolve("findings.jsonl");
    String listening;
    try (ServerSocket pool = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = pool.getLocalPort();
      listening =
          "minewatch: listening on lo (AF_PACKET ring: 16 blocks of 1 MiB, snapshot length 262144 "
              + "bytes, filter \"tcp port "
              + port
              + "\" of ";
      watchWhileAMinerMines(pool, findings, "--filter", "tcp port " + port, "--ring-mib", "16");
    }
    assertThat(Files.readAllLines(findings))
        .anyMatch(l -> l.startsWith("{\"host\":\"127.0.0.1\",\"role\":\"miner\""));
    assertThat(stderr())
        .contains(listening)
        .contains("dropped by the kernel (the kernel's PACKET_STATISTICS)")
        .doesNotContain("tcpdump");
  }

  /**
   * Without CAP_NET_RAW (root with it taken out of the bounding set): with --capture ring, one line
   * saying why; with auto, the same reason and tcpdump tried instead.
   */
  @Test
  void withoutTheRightToCaptureWatchSaysWhyAndFallsBackToTcpdump() throws Exception {
    assumeRing();
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "no setpriv here; skipped");
    String reason =
        "lo: cannot open an AF_PACKET socket: Operation not permitted (capturing needs root or "
            + "CAP_NET_RAW)";

    Run ring = runWithoutNetRaw("--capture", "ring");
    assertThat(ring.status).isEqualTo(2);
    assertThat(ring.stderr).contains("minewatch watch: " + reason + "\n").doesNotContain("tcpdump");

    Run auto = runWithoutNetRaw();
    assertThat(auto.status).isEqualTo(2);
    assertThat(auto.stderr).contains("minewatch: " + reason + "; capturing through tcpdump\n");
  }

  private record Run(int status, String stderr) {}

  private Run runWithoutNetRaw(String... options) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "/usr/bin/setpriv",
                "--bounding-set=-net_raw",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                MineWatch.class.getName(),
                "watch",
                "-i",
                "lo",
                "--for",
                "1",
                "--intel-dir",
                dir.resolve("no-intel").toString()));
    command.addAll(List.of(options));
    Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), stderr);
  }

  /**
   * Runs {@code watch -i lo} for 4 s with {@code options}, findings to {@code findings}, and once
   * it listens has an XMRig-like miner mine once against {@code pool}; watch must end with status
   * 0.
   */
  private void watchWhileAMinerMines(ServerSocket pool, Path findings, String... options)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("watch", "-i", "lo"));
    args.addAll(List.of(options));
    args.addAll(
        List.of(
            "--for",
            "4",
            "--stats-every",
            "1",
            "-o",
            findings.toString(),
            "--intel-dir",
            dir.resolve("no-intel").toString()));
    CompletableFuture<Integer> watch =
        CompletableFuture.supplyAsync(() -> MineWatch.run(args.toArray(String[]::new)));
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!stderr().contains("listening on lo (AF_PACKET ring") && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    LoopbackXmrig.mineOnce(pool, WALLET, "XMRig/6.16.4");
    assertThat(watch.get(30, TimeUnit.SECONDS)).isZero();
  }
}
