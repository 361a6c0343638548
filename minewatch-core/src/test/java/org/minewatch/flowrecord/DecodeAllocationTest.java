package org.minewatch.flowrecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.minewatch.testkit.ExportMessages.ipfix;
import static org.minewatch.testkit.ExportMessages.set;
import static org.minewatch.testkit.ExportMessages.template;
import static org.minewatch.testkit.ExportMessages.v5;
import static org.minewatch.testkit.ExportMessages.v9;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.minewatch.testkit.ExportMessages.Bytes;
import org.minewatch.testkit.ExportMessages.V5Flow;

/**
 * Decoding into a {@link FlowSink} allocates nothing per record or message (issue 13): measured
 * with the thread's own allocation counter over NetFlow v5, v9 and IPFIX (IPv4, IPv6, biflow).
 */
class DecodeAllocationTest {
  private static final long T0 = 1_700_000_000L;
  private static final long REVERSE = 29305L << 16;
  private static final String EXPORTER = "192.0.2.1:4739";

  private final ExportDecoder decoder = new ExportDecoder();
  private final long[] seen = new long[2];
  private final FlowSink sink =
      v -> {
        seen[0]++;
        seen[1] += v.bytes() + v.sourceLo() + v.destinationHi();
      };
  private long ipfixSequence;
  private long v9Sequence;

  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  private void decode(byte[] m) throws ExportFormatException {
    decoder.decodeInto(EXPORTER, "192.0.2.1", m, 0, m.length, sink);
  }

  private static byte[] v4Records(int n) {
    Bytes b = new Bytes();
    for (int i = 0; i < n; i++) {
      b.u32(0x0a00_0000L | i).ipv4("203.0.113.9").u16(40_000 + i).u16(443).u8(6);
      b.u64(1500 + i).u64(12).u64(T0 * 1000).u64(T0 * 1000 + 5_000);
    }
    return b.toByteArray();
  }

  private static byte[] v6Records(int n) {
    Bytes b = new Bytes();
    for (int i = 0; i < n; i++) {
      b.u64(0x2001_0db8_0000_0000L).u64(i).u64(0x2001_0db8_ffff_0000L).u64(9);
      b.u16(40_000 + i).u16(443).u8(6).u32(1500 + i).u32(12).u32(60_000).u32(65_000);
    }
    return b.toByteArray();
  }

  private static byte[] biflowRecords(int n) {
    Bytes b = new Bytes();
    for (int i = 0; i < n; i++) {
      b.u32(0x0a00_0000L | i).ipv4("198.51.100.7").u16(50_000).u16(3333).u8(6);
      b.u32(900).u32(10).u32(2400).u32(11).u32(T0).u32(T0 + 60);
    }
    return b.toByteArray();
  }

  private static void patch(byte[] m, int at, long value) {
    m[at] = (byte) (value >>> 24);
    m[at + 1] = (byte) (value >>> 16);
    m[at + 2] = (byte) (value >>> 8);
    m[at + 3] = (byte) value;
  }

  @Test
  void decodingIntoASinkAllocatesNothingPerRecord() throws Exception {
    assumeTrue(
        ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
        "this JVM does not count a thread's allocation; skipped");
    decode(
        ipfix(
            T0,
            0,
            1,
            set(
                2,
                new Bytes()
                    .bytes(
                        template(256, 8, 4, 12, 4, 7, 2, 11, 2, 4, 1, 1, 8, 2, 8, 152, 8, 153, 8))
                    .bytes(
                        template(257, 27, 16, 28, 16, 7, 2, 11, 2, 4, 1, 1, 4, 2, 4, 22, 4, 21, 4))
                    .bytes(
                        template(
                            258,
                            8,
                            4,
                            12,
                            4,
                            7,
                            2,
                            11,
                            2,
                            4,
                            1,
                            1,
                            4,
                            2,
                            4,
                            REVERSE | 1,
                            4,
                            REVERSE | 2,
                            4,
                            150,
                            4,
                            151,
                            4))
                    .toByteArray())));
    decode(v9(60_000, T0, v9Sequence++, 1, set(0, template(256, 8, 4, 12, 4, 7, 2, 11, 2, 4, 1))));
    byte[] v4 = ipfix(T0, 0, 1, set(256, v4Records(25)));
    byte[] v6 = ipfix(T0, 0, 1, set(257, v6Records(20)));
    byte[] biflow = ipfix(T0, 0, 1, set(258, biflowRecords(15)));
    Bytes v9Records = new Bytes();
    for (int i = 0; i < 25; i++) {
      v9Records.u32(0x0a00_0000L | i).ipv4("203.0.113.9").u16(40_000 + i).u16(443).u8(17);
    }
    byte[] v9Data = v9(60_000, T0, 0, 1, set(256, v9Records.toByteArray()));
    V5Flow[] v5Flows = new V5Flow[15];
    for (int i = 0; i < v5Flows.length; i++) {
      v5Flows[i] = new V5Flow("10.1.0." + i, "203.0.113.9", 40_000 + i, 443, 6, 3, 180, 0, 10, 2);
    }
    byte[][] v5Messages = new byte[4_000][];
    for (int i = 0; i < v5Messages.length; i++) {
      v5Messages[i] = v5(60_000, T0, (long) i * v5Flows.length, v5Flows);
    }
    for (int i = 0; i < 2_000; i++) { // warm-up: the compilers' work is not this thread's
      roundWithout(v4, v6, biflow, v9Data, v5Messages[i]);
    }
    long records = seen[0];
    long before = allocated();
    for (int i = 2_000; i < 4_000; i++) {
      roundWithout(v4, v6, biflow, v9Data, v5Messages[i]);
    }
    long bytes = allocated() - before;
    records = seen[0] - records;

    assertThat(records).isEqualTo(2_000 * 100);
    assertThat(decoder.lostRecords() + decoder.lostMessages() + decoder.outOfOrder()).isZero();
    assertThat(bytes).as("bytes allocated decoding %d records", records).isLessThan(records / 100);
  }

  /** A round with the v5 message built beforehand, so that only decoding is measured. */
  private void roundWithout(byte[] v4, byte[] v6, byte[] biflow, byte[] v9Data, byte[] v5Message)
      throws ExportFormatException {
    patch(v4, 8, ipfixSequence);
    decode(v4);
    ipfixSequence += 25;
    patch(v6, 8, ipfixSequence);
    decode(v6);
    ipfixSequence += 20;
    patch(biflow, 8, ipfixSequence);
    decode(biflow);
    ipfixSequence += 15;
    patch(v9Data, 12, v9Sequence++);
    decode(v9Data);
    decode(v5Message);
  }
}
