package org.minewatch.flowrecord;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.minewatch.evidence.EvidenceAggregator;
import org.minewatch.evidence.Finding;
import org.minewatch.intel.AddressNames;
import org.minewatch.intel.Intel;
import org.minewatch.intel.PoolCatalogue;
import org.minewatch.logs.LogAnalyzer;
import org.minewatch.model.IpAddress;
import org.minewatch.model.Protocol;
import org.minewatch.model.Role;
import org.minewatch.model.Verdict;

class FlowShapesTest {
  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final IpAddress HOST = IpAddress.parse("10.1.2.3");
  private static final IpAddress PEER = IpAddress.parse("198.51.100.7");

  private final EvidenceAggregator aggregator = new EvidenceAggregator();
  private final FlowRecordAnalyzer flows =
      new FlowRecordAnalyzer(
          new Intel(PoolCatalogue.defaults(), new AddressNames()),
          new LogAnalyzer(
              new Intel(PoolCatalogue.defaults(), new AddressNames()), aggregator, "flows.csv"));

  /**
   * One direction's record: {@code seconds} long, as exporters report each direction on its own.
   */
  private static FlowRecord oneWay(
      IpAddress from,
      int fromPort,
      IpAddress to,
      int toPort,
      long packets,
      long bytes,
      double startSeconds,
      double seconds) {
    return oneWay(from, fromPort, to, toPort, packets, bytes, startSeconds, seconds, 0x1b);
  }

  private static FlowRecord oneWay(
      IpAddress from,
      int fromPort,
      IpAddress to,
      int toPort,
      long packets,
      long bytes,
      double startSeconds,
      double seconds,
      int tcpFlags) {
    return new FlowRecord(
        "test",
        from,
        fromPort,
        to,
        toPort,
        6,
        packets,
        bytes,
        0,
        0,
        T0 + (long) (startSeconds * 1e9),
        T0 + (long) ((startSeconds + seconds) * 1e9),
        tcpFlags);
  }

  @Test
  void aSessionShapedLikeMiningToAnAddressOnNoListIsSuspectOnce() {
    // 5 minutes in two active-timeout records per direction: 150 client packets of 130 bytes, 80
    // server of 180.
    flows.record(oneWay(HOST, 52000, PEER, 443, 75, 75 * 130, 0, 150));
    flows.record(oneWay(PEER, 443, HOST, 52000, 40, 40 * 180, 0, 150));
    flows.record(oneWay(HOST, 52000, PEER, 443, 75, 75 * 130, 150, 150));
    flows.record(oneWay(PEER, 443, HOST, 52000, 40, 40 * 180, 150, 150));
    flows.finish();

    List<Finding> found = aggregator.findings();
    assertThat(found)
        .extracting(Finding::host, Finding::role, Finding::verdict, Finding::protocol)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                HOST, Role.MINER, Verdict.SUSPECT, Protocol.MINING_BEHAVIOUR),
            org.assertj.core.groups.Tuple.tuple(
                PEER, Role.POOL, Verdict.SUSPECT, Protocol.MINING_BEHAVIOUR));
    // Judged once both directions of the first 2.5 minutes were in: the later records add nothing.
    assertThat(found.get(0).evidence())
        .containsExactly(
            "TCP 10.1.2.3:52000 -> 198.51.100.7:443 at "
                + "2023-11-14T22:13:20Z (flows.csv, flow records): flow records shaped like a mining session, to an address on "
                + "no list: 2.5 min in 2 records; client 75 packets of 130 bytes on average (30.0 a minute), server 40 of 180 "
                + "(16.0 a minute; 1.88 client packets per server packet), 6.8 KB a minute, server/client bytes 0.74; a "
                + "pool's address to confirm (packets or probe)");
  }

  @Test
  void whatIsNotShapedLikeMiningIsLeftAlone() {
    // Chat: as many packets each way (both sides speak unasked).
    flows.record(oneWay(HOST, 52001, PEER, 6697, 40, 40 * 120, 0, 300));
    flows.record(oneWay(PEER, 6697, HOST, 52001, 40, 40 * 120, 0, 300));
    // Too short to judge.
    flows.record(oneWay(HOST, 52002, PEER, 443, 60, 60 * 130, 0, 90));
    flows.record(oneWay(PEER, 443, HOST, 52002, 30, 30 * 180, 0, 90));
    // Bulk: large packets, megabytes a minute.
    flows.record(oneWay(HOST, 52003, PEER, 443, 4000, 4000 * 60, 0, 300));
    flows.record(oneWay(PEER, 443, HOST, 52003, 3000, 3000L * 1400, 0, 300));
    // One direction only (a scan, a dead peer).
    flows.record(oneWay(HOST, 52004, PEER, 443, 150, 150 * 130, 0, 300));
    // UDP.
    flows.record(
        new FlowRecord(
            "test",
            HOST,
            52005,
            PEER,
            443,
            17,
            150,
            150 * 130,
            80,
            80 * 180,
            T0,
            T0 + 300_000_000_000L,
            0));
    flows.finish();
    assertThat(aggregator.findings()).isEmpty();
  }

  @Test
  void aBiflowRecordIsJudgedFromItsTwoDirections() {
    flows.record(
        new FlowRecord(
            "test",
            HOST,
            52006,
            PEER,
            3333,
            6,
            100,
            100 * 140,
            60,
            60 * 200,
            T0,
            T0 + 240_000_000_000L,
            0x1b));
    flows.finish();
    assertThat(aggregator.findings()).extracting(Finding::host).containsExactly(HOST, PEER);
  }

  /**
   * Intervals {@code from} to {@code to} (exclusive) of a connection exported with a 30-second
   * active timeout: each a client record of 12 packets of 150 bytes and a server record of 7
   * packets of {@code serverSizes[i % length]} bytes; the first interval also carries the
   * handshake's larger packets and SYN, the interval {@code closing} the FIN.
   */
  private void shortTimeoutSession(
      int clientPort, int from, int to, int closing, long... serverSizes) {
    for (int i = from; i < to; i++) {
      long serverSize = i == 0 ? 600 : serverSizes[i % serverSizes.length];
      int flags = i == 0 ? 0x1a : i == closing ? 0x19 : 0x18;
      flows.record(oneWay(HOST, clientPort, PEER, 8883, 12, 12 * 150, 30 * i, 30, flags));
      flows.record(oneWay(PEER, 8883, HOST, clientPort, 7, 7 * serverSize, 30 * i, 30, flags));
    }
  }

  @Test
  void aServerSendingMessagesOfOneSizeRecordAfterRecordIsNoPool() {
    // Publisher and broker at QoS 1: every server packet is a PUBACK of 78 bytes. Shaped like
    // mining as a whole (1.71 client packets per server packet, small packets, a few KB a minute),
    // but a pool's jobs would make the server's sizes differ from record to record.
    shortTimeoutSession(52010, 0, 11, 10, 78);
    flows.finish();
    assertThat(aggregator.findings()).isEmpty();
  }

  @Test
  void aServerOfJobsAndAnswersIsSuspectWithItsSizesInTheEvidence() {
    // Answers to shares of 110 bytes, and a record with a job pushed every other interval.
    shortTimeoutSession(52011, 0, 11, 10, 110, 240);
    flows.finish();
    List<Finding> found = aggregator.findings();
    assertThat(found).extracting(Finding::host).containsExactly(HOST, PEER);
    // Judged once four server records besides the first and the latest spanned two minutes.
    assertThat(found.get(0).evidence())
        .containsExactly(
            "TCP 10.1.2.3:52011 -> 198.51.100.7:8883 at 2023-11-14T22:13:20Z (flows.csv, flow"
                + " records): flow records shaped like a mining session, to an address on no list:"
                + " 3.0 min in 12 records; client 72 packets of 150 bytes on average (24.0 a"
                + " minute), server 42 of 257 (14.0 a minute; 1.71 client packets per server"
                + " packet), 7.2 KB a minute, server/client bytes 1.00; server 110 to 240 bytes a"
                + " packet record by record (4 records over 2.0 min: messages of more than one"
                + " size); a pool's address to confirm (packets or probe)");
  }

  @Test
  void aShortTimeoutSessionTooShortToSizeIsJudgedAsAWholeAtItsClose() {
    // Five 30-second intervals: three server records between the first and the latest, too few.
    shortTimeoutSession(52012, 0, 4, 4, 78);
    assertThat(aggregator.findings()).as("waiting for more records").isEmpty();
    shortTimeoutSession(52012, 4, 5, 4, 78);
    assertThat(aggregator.findings()).extracting(Finding::host).containsExactly(HOST, PEER);
  }

  @Test
  void aConnectionWaitingForRecordsIsJudgedWhenTheTableDropsIt() {
    // Five 30-second intervals of jobs and answers, still open: too few records to size yet.
    shortTimeoutSession(52013, 0, 5, -1, 110, 240);
    assertThat(aggregator.findings()).as("waiting for more records").isEmpty();
    // More connections than the table holds: the oldest, this one, is dropped, judged as it goes.
    for (int i = 0; i <= FlowShapes.MAX_CONNECTIONS; i++) {
      IpAddress other = IpAddress.parse("10.9." + (i >> 8 & 0xff) + "." + (i & 0xff));
      flows.record(oneWay(other, 40000 + (i >> 16), PEER, 443, 1, 60, 200, 0, 0x02));
    }
    assertThat(aggregator.findings()).extracting(Finding::host).containsExactly(HOST, PEER);
  }
}
