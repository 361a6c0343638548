package org.minewatch.flowrecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.minewatch.testkit.ExportMessages.ipfix;
import static org.minewatch.testkit.ExportMessages.set;
import static org.minewatch.testkit.ExportMessages.template;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.minewatch.testkit.ExportMessages.Bytes;

/**
 * The collector keeps receiving while the analysis pauses (issue 13): datagrams wait in its own
 * batches rather than in the socket's buffer, which the kernel caps at {@code net.core.rmem_max}
 * and drops beyond.
 */
class UdpCollectorBufferingTest {
  private static final long T0 = 1_700_000_000L;
  private static final int DATAGRAMS = 20_000;
  private static final int RECORDS = 30;

  /**
   * Waits until the kernel holds no datagram for the UDP socket on {@code port}: Linux's {@code
   * /proc/net/udp} and {@code udp6} (Java binds 127.0.0.1 through an IPv6 socket where it can),
   * queue column. Fails if the socket is not listed or does not empty in 10 s; where there is no
   * {@code /proc/net}, waits 20 ms.
   */
  private static void awaitSocketEmpty(int port) throws IOException, InterruptedException {
    List<Path> tables =
        List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6")).stream()
            .filter(Files::isReadable)
            .toList();
    if (tables.isEmpty()) {
      Thread.sleep(20);
      return;
    }
    String local = String.format(":%04X", port);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      boolean listed = false;
      boolean queued = false;
      for (Path table : tables) {
        for (String line : Files.readAllLines(table)) {
          String[] f = line.trim().split("\\s+");
          // sl local_address rem_address st tx_queue:rx_queue ...
          if (f.length > 4 && f[1].endsWith(local)) {
            listed = true;
            queued |= !f[4].endsWith(":00000000");
          }
        }
      }
      assertThat(listed).as("the collector's socket in /proc/net/udp or udp6").isTrue();
      if (!queued) {
        return;
      }
      assertThat(System.nanoTime())
          .as("the receiving thread empties the socket within 10 s")
          .isLessThan(until);
      Thread.sleep(1);
    }
  }

  @Test
  void datagramsSentWhileTheAnalysisIsStalledAreAllDecodedOnceItResumes() throws Exception {
    ExportDecoder decoder = new ExportDecoder();
    CountDownLatch resume = new CountDownLatch(1);
    long[] records = {0};
    AtomicLong received = new AtomicLong();
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    UdpCollector collector = new UdpCollector(new InetSocketAddress("127.0.0.1", 0));
    Thread analysis =
        new Thread(
            () -> {
              try {
                collector.run(
                    decoder,
                    r -> {
                      try {
                        resume.await(); // the analysis stalls (a collection, a slow finding)
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      records[0]++;
                    },
                    problems::add,
                    () -> received.set(collector.datagrams()),
                    50);
              } catch (IOException e) {
                problems.add(e.toString());
              }
            },
            "analysis");
    analysis.start();
    byte[] templates =
        ipfix(T0, 0, 1, set(2, template(256, 8, 4, 12, 4, 7, 2, 11, 2, 4, 1, 1, 4, 2, 4)));
    Bytes data = new Bytes();
    for (int i = 0; i < RECORDS; i++) {
      data.u32(0x0a00_0000L | i).ipv4("203.0.113.9").u16(40_000 + i).u16(443).u8(6);
      data.u32(1500).u32(12);
    }
    byte[] message = ipfix(T0, 0, 1, set(256, data.toByteArray()));
    try (DatagramSocket exporter = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      DatagramPacket packet =
          new DatagramPacket(
              templates,
              templates.length,
              InetAddress.getLoopbackAddress(),
              collector.localAddress().getPort());
      exporter.send(packet);
      packet.setData(message);
      // Bursts that fit in a quarter of the socket's buffer (the kernel counts each datagram at
      // about twice its size), each sent once the receiving thread has taken the one before out
      // of the socket: an exporter's pace, kept on a busy machine too, where that thread may not
      // run for a whole burst. The analysis stays stalled throughout.
      int burst = Math.max(1, collector.receiveBuffer() / (4 * message.length));
      int port = collector.localAddress().getPort();
      for (int i = 0; i < DATAGRAMS; i++) {
        long sequence = (long) i * RECORDS;
        message[8] = (byte) (sequence >>> 24);
        message[9] = (byte) (sequence >>> 16);
        message[10] = (byte) (sequence >>> 8);
        message[11] = (byte) sequence;
        exporter.send(packet);
        if (i % burst == burst - 1) {
          awaitSocketEmpty(port);
        }
      }
    }
    resume.countDown();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (received.get() < DATAGRAMS + 1 && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    collector.close();
    analysis.join(10_000);

    assertThat(problems).isEmpty();
    assertThat(collector.datagrams()).isEqualTo(DATAGRAMS + 1);
    assertThat(records[0]).isEqualTo((long) DATAGRAMS * RECORDS);
    assertThat(decoder.lostRecords()).isZero();
  }
}
