package org.minewatch.flowrecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.minewatch.testkit.ExportMessages;

/**
 * The collector on a real UDP socket on loopback (issue 12): a template flood from one address and
 * junk datagrams, while a legitimate exporter on another address sends data.
 */
class UdpCollectorTest {
  private final ExportDecoder decoder = new ExportDecoder();
  private final List<FlowRecord> records = Collections.synchronizedList(new ArrayList<>());
  private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

  /** Datagrams the receiver has taken, published from its own thread. */
  private final AtomicLong received = new AtomicLong();

  private UdpCollector collector;
  private Thread receiver;
  private long sent;

  @BeforeEach
  void start() throws IOException {
    collector = new UdpCollector(new InetSocketAddress("127.0.0.1", 0));
    receiver =
        new Thread(
            () -> {
              try {
                collector.run(
                    decoder,
                    records::add,
                    problems::add,
                    () -> received.set(collector.datagrams()),
                    100);
              } catch (IOException e) {
                problems.add(e.toString());
              }
            },
            "collector");
    receiver.start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    collector.close();
    receiver.join(5_000);
  }

  /**
   * Sends and, every so often, waits until the receiver has taken all: nothing is dropped for want
   * of buffer.
   */
  private void send(DatagramSocket from, byte[] m) throws Exception {
    from.send(
        new DatagramPacket(
            m, m.length, InetAddress.getLoopbackAddress(), collector.localAddress().getPort()));
    if (++sent % 500 == 0) {
      caughtUp();
    }
  }

  private void caughtUp() throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (received.get() < sent && System.nanoTime() < until) {
      Thread.sleep(1);
    }
    assertThat(received.get()).as("datagrams the collector received").isEqualTo(sent);
  }

  private static DatagramSocket socketOn(String address) {
    try {
      return new DatagramSocket(0, InetAddress.getByName(address));
    } catch (IOException e) {
      assumeTrue(
          false, "cannot bind " + address + " on loopback here (" + e.getMessage() + "); skipped");
      return null;
    }
  }

  @Test
  void aTemplateFloodThroughTheSocketStaysAtTheLimitWhileALegitimateExporterDecodes()
      throws Exception {
    int flood = 200_000;
    List<FlowRecord> expected = new ArrayList<>();
    try (DatagramSocket legit = socketOn("127.0.0.1");
        DatagramSocket hostileA = socketOn("127.0.0.2");
        DatagramSocket hostileB = socketOn("127.0.0.2")) {
      String exporter = "127.0.0.1:" + legit.getLocalPort();
      send(legit, TemplateFloodTest.legitTemplate(0));
      byte[] m = ExportMessages.floodTemplate(TemplateFloodTest.T0, 10, 0);
      for (int i = 0; i < flood; i++) {
        ExportMessages.redefine(m, i);
        send(i % 2 == 0 ? hostileA : hostileB, m); // two ports, one address: one exporter's limit
        if (i % 1_000 == 999) {
          int n = i / 1_000;
          send(legit, TemplateFloodTest.legitData(n, n));
          FlowRecord r = TemplateFloodTest.legitRecord(n);
          expected.add(
              new FlowRecord(
                  exporter,
                  r.source(),
                  r.sourcePort(),
                  r.destination(),
                  r.destinationPort(),
                  r.protocol(),
                  r.packets(),
                  r.bytes(),
                  0,
                  0,
                  r.firstNanos(),
                  r.lastNanos(),
                  0));
        }
      }
      caughtUp();
    }
    stop();
    assertThat(problems).isEmpty();
    assertThat(collector.datagrams()).isEqualTo(flood + flood / 1_000 + 1);
    assertThat(records).isEqualTo(expected);
    assertThat(decoder.templates()).isEqualTo(TemplateLimits.DEFAULTS.perExporter() + 1);
    assertThat(decoder.templatesEvicted()).isEqualTo(flood - TemplateLimits.DEFAULTS.perExporter());
    assertThat(decoder.unknownTemplateSets() + decoder.lostRecords()).isZero();
  }

  @Test
  void malformedDatagramsAreToldTwentyOfAKindThenCounted() throws Exception {
    try (DatagramSocket exporter = socketOn("127.0.0.1")) {
      for (int i = 0; i < 50; i++) {
        send(exporter, new byte[] {0, 7, 0, (byte) i});
      }
      for (int i = 0; i < 30; i++) {
        send(exporter, new byte[] {0, 10, 0, 0});
      }
      send(exporter, TemplateFloodTest.legitTemplate(0));
      caughtUp();
      stop();
      String from = "127.0.0.1:" + exporter.getLocalPort();
      assertThat(problems).hasSize(42);
      assertThat(problems.get(0))
          .isEqualTo(
              from + ": byte 0 of the message: version 7 is not NetFlow v5, v9 or " + "IPFIX (10)");
      assertThat(problems.get(20))
          .isEqualTo("further malformed datagrams not NetFlow/IPFIX are counted, not listed");
      assertThat(problems.get(21))
          .isEqualTo(
              from + ": byte 0 of the message: IPFIX header needs 16 bytes, message " + "has 4");
      assertThat(problems.get(41))
          .isEqualTo("further malformed datagrams with a bad header are counted, not listed");
    }
    assertThat(collector.datagrams()).isEqualTo(81);
    assertThat(collector.malformed()).isEqualTo(80);
    assertThat(collector.malformedByKind()).isEqualTo("50 not NetFlow/IPFIX, 30 with a bad header");
    assertThat(decoder.templates()).isEqualTo(1);
  }
}
