package org.minewatch.flowrecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.minewatch.testkit.ExportMessages.ipfix;
import static org.minewatch.testkit.ExportMessages.set;
import static org.minewatch.testkit.ExportMessages.template;
import static org.minewatch.testkit.ExportMessages.v5;
import static org.minewatch.testkit.ExportMessages.v9;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.minewatch.testkit.ExportMessages.Bytes;
import org.minewatch.testkit.ExportMessages.V5Flow;

/**
 * Sequence accounting (issue 12): loss is counted, reordering and resets are not loss, numbers wrap
 * at 2^32, and random numbers (the tester's 1.6 × 10^12 "lost records") count no loss at all.
 */
class SequenceNumbersTest {
  private static final long T0 = 1_636_334_220L;
  private static final V5Flow FLOW =
      new V5Flow("10.0.0.5", "203.0.113.9", 40000, 3333, 6, 12, 1500, 4_000, 9_000, 0x1b);

  private final ExportDecoder decoder = new ExportDecoder();

  /** A v5 datagram numbered {@code sequence} carrying {@code records} records. */
  private void v5Message(long sequence, int records) throws ExportFormatException {
    V5Flow[] flows = new V5Flow[records];
    java.util.Arrays.fill(flows, FLOW);
    byte[] m = v5(10_000, T0, sequence, flows);
    decoder.decode("192.0.2.1:2055", m, 0, m.length, r -> {});
  }

  private void v9Message(long sequence) throws ExportFormatException {
    byte[] m = v9(10_000, T0, sequence, 1);
    decoder.decode("192.0.2.1:2055", m, 0, m.length, r -> {});
  }

  private void counts(long lostRecords, long lostMessages, long outOfOrder, long resets) {
    assertThat(
            new long[] {
              decoder.lostRecords(),
              decoder.lostMessages(),
              decoder.outOfOrder(),
              decoder.sequenceResets()
            })
        .as("lost records, lost export packets, out of order, resets")
        .containsExactly(lostRecords, lostMessages, outOfOrder, resets);
  }

  @Test
  void aGapIsLoss() throws Exception {
    v5Message(0, 2);
    v5Message(5, 1); // 2 was next
    counts(3, 0, 0, 0);
    v5Message(6, 30);
    v5Message(100, 30); // 36 was next
    counts(3 + 64, 0, 0, 0);
  }

  @Test
  void aLateMessageIsOutOfOrderAndTakesItsRecordsOffTheLoss() throws Exception {
    v5Message(0, 1);
    v5Message(1, 1);
    v5Message(3, 1); // 2 missing, for now
    counts(1, 0, 0, 0);
    v5Message(2, 1); // it was late, not lost
    counts(0, 0, 1, 0);
    v5Message(4, 1);
    counts(0, 0, 1, 0);
    v5Message(4, 1); // a duplicate
    counts(0, 0, 2, 0);
  }

  @Test
  void partOfAGapFilledLateLeavesTheRestLost() throws Exception {
    v5Message(0, 10);
    v5Message(40, 10); // 10..39 missing: 30
    v5Message(20, 10); // 20..29 arrive late
    counts(20, 0, 1, 0);
  }

  @Test
  void numbersWrapAt2To32() throws Exception {
    v5Message(0xffff_fffeL, 1);
    v5Message(0xffff_ffffL, 2); // 1 is next
    v5Message(1, 1);
    counts(0, 0, 0, 0);
    v5Message(0xffff_fff0L, 4);
    counts(0, 0, 1, 0); // 18 behind, across the wrap: late
    v5Message(5, 1); // 2 was next: 3 lost
    counts(3, 0, 1, 0);
    v9Message(0xffff_ffffL);
    v9Message(2); // 0 and 1 lost across the wrap
    counts(3, 2, 1, 0);
  }

  @Test
  void randomNumbersAreNeverLoss() throws Exception {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      v5Message(random.nextInt() & 0xffff_ffffL, 30);
    }
    // The first sets the position; each later one jumps and is not carried on from (the last is
    // still open).
    counts(0, 0, 19_998, 0);
  }

  @Test
  void aRestartIsAResetNotLoss() throws Exception {
    v5Message(1_000_000_000L, 30);
    v5Message(1_000_000_030L, 30);
    v5Message(0, 30); // the exporter restarted
    counts(0, 0, 0, 0); // not judged until the next message
    v5Message(30, 30);
    counts(0, 0, 0, 1);
    v5Message(60, 30);
    counts(0, 0, 0, 1);
  }

  @Test
  void aJumpBeyondWhatCouldBeLostIsAReset() throws Exception {
    v9Message(10);
    v9Message(10 + (1 << 20) + 2); // a million export packets and more: not plausible
    v9Message(10 + (1 << 20) + 3);
    counts(0, 0, 0, 1);
  }

  @Test
  void aLargeGapIsLossOnceTheStreamCarriesOnFromIt() throws Exception {
    v9Message(10);
    v9Message(5_000); // 11..4999: more than 1,024 packets, so held until the next one
    counts(0, 0, 0, 0);
    v9Message(5_001);
    counts(0, 4_989, 0, 0);
  }

  @Test
  void aStrayNumberAmidAStreamIsOutOfOrderAndTheStreamKeepsItsNumbers() throws Exception {
    v9Message(0);
    v9Message(1);
    v9Message(3_000_000_000L);
    v9Message(2);
    v9Message(3);
    counts(0, 0, 1, 0);
  }

  @Test
  void ipfixCountsDataRecordsAndForgetsThePositionAfterAnUnknownTemplate() throws Exception {
    byte[] t = set(2, template(300, 8, 4, 12, 4));
    byte[] record = new Bytes().ipv4("10.0.0.5").ipv4("203.0.113.9").toByteArray();
    byte[] two = set(300, new Bytes().bytes(record).bytes(record).toByteArray());
    decode(ipfix(T0, 0, 1, t, two));
    decode(ipfix(T0, 2, 1, two));
    decode(ipfix(T0, 7, 1, two)); // 4..6 lost
    assertThat(decoder.lostRecords()).isEqualTo(3);
    decode(ipfix(T0, 9, 1, set(301, record))); // unknown length: the next one cannot be checked
    decode(ipfix(T0, 500, 1, two));
    decode(ipfix(T0, 502, 1, two));
    counts(3, 0, 0, 0);
  }

  private void decode(byte[] m) throws ExportFormatException {
    decoder.decode("192.0.2.1:4739", m, 0, m.length, r -> {});
  }
}
