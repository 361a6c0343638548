package org.minewatch.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.minewatch.model.IpAddress;

public class LogReaderTest {
  static final String ZEEK_DNS_TSV =
      String.join(
              "\n",
              "#separator \\x09",
              "#set_separator\t,",
              "#empty_field\t(empty)",
              "#unset_field\t-",
              "#path\tdns",
              "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tquery\tanswers",
              "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tvector[string]",
              "1625097600.123456\tCx1\t10.6.0.2\t53001\t10.6.0.1\t53\tudp\txmr.pool.minergate.com\t203.0.113.70,203.0.113.71",
              "1625097601.000000\tCx2\t10.6.0.2\t53002\t10.6.0.1\t53\tudp\twww.example.com\t-",
              "this line is broken",
              "1625097602.000000\tCx3\tnot-an-ip\t53003\t10.6.0.1\t53\tudp\tx.example\t-")
          + "\n";

  /** A Zeek dns.log in TSV, with two good records and two broken lines (10 and 11). */
  public static String zeekDnsTsv() {
    return ZEEK_DNS_TSV;
  }

  private final List<LogRecord> records = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  private long read(String text, LogFormat format) throws Exception {
    return LogReader.read(
        "test.log",
        new BufferedReader(new StringReader(text)),
        format,
        records::add,
        problems::add);
  }

  @Test
  void zeekTsvWithHeadersAndBrokenLinesReported() throws Exception {
    assertThat(LogFormat.sniff(ZEEK_DNS_TSV.lines().findFirst().orElseThrow()))
        .isEqualTo(LogFormat.ZEEK_TSV);
    assertThat(read(ZEEK_DNS_TSV, LogFormat.ZEEK_TSV)).isEqualTo(2);
    LogRecord r = records.get(0);
    assertThat(r.kind()).isEqualTo("dns");
    assertThat(r.timestampNanos()).isEqualTo(1_625_097_600_123_456_000L);
    assertThat(r.origHost()).isEqualTo(IpAddress.parse("10.6.0.2"));
    assertThat(r.respPort()).isEqualTo(53);
    assertThat(r.query()).isEqualTo("xmr.pool.minergate.com");
    assertThat(r.answers())
        .containsExactly(IpAddress.parse("203.0.113.70"), IpAddress.parse("203.0.113.71"));
    assertThat(records.get(1).answers()).isEmpty();
    assertThat(problems)
        .containsExactly(
            "test.log: line 10: 1 fields where the header names 9",
            "test.log: line 11: no ts, id.orig_h or id.resp_h");
  }

  @Test
  void zeekJsonAndSuricataEveLines() throws Exception {
    String zeek =
        "{\"ts\":1625097600.5,\"uid\":\"C1\",\"id.orig_h\":\"10.6.0.3\",\"id.orig_p\":40000,"
            + "\"id.resp_h\":\"203.0.113.72\",\"id.resp_p\":443,\"server_name\":\"pool.supportxmr.com\","
            + "\"ja3\":\"d78489b860c8bf7838a6ff0b4d131541\"}\n{broken\n";
    assertThat(LogFormat.sniff(zeek.lines().findFirst().orElseThrow()))
        .isEqualTo(LogFormat.ZEEK_JSON);
    assertThat(read(zeek, LogFormat.ZEEK_JSON)).isEqualTo(1);
    assertThat(records.get(0).kind()).isEqualTo("ssl");
    assertThat(records.get(0).serverName()).isEqualTo("pool.supportxmr.com");
    assertThat(problems)
        .hasSize(1)
        .allMatch(p -> p.startsWith("test.log: line 2: not a JSON object"));

    String eve =
        "{\"timestamp\":\"2021-07-01T00:00:00.250000+0000\",\"event_type\":\"tls\",\"src_ip\":\"10.6.0.4\","
            + "\"src_port\":40001,\"dest_ip\":\"203.0.113.73\",\"dest_port\":443,\"proto\":\"TCP\",\"tls\":{\"sni\":"
            + "\"xmr-eu1.nanopool.org\",\"ja3\":{\"hash\":\"b20b44b18b853ef29ab773e921b03422\"}}}\n"
            + "{\"timestamp\":\"2021-07-01T00:00:01.000000+0000\",\"event_type\":\"dns\",\"src_ip\":\"10.6.0.4\","
            + "\"dest_ip\":\"10.6.0.1\",\"dns\":{\"type\":\"answer\",\"rrname\":\"pool.hashvault.pro\",\"answers\":"
            + "[{\"rrname\":\"pool.hashvault.pro\",\"rrtype\":\"A\",\"rdata\":\"203.0.113.74\"}]}}\n"
            + "{\"timestamp\":\"yesterday\",\"event_type\":\"flow\",\"src_ip\":\"10.6.0.4\",\"dest_ip\":\"10.6.0.1\"}\n";
    records.clear();
    problems.clear();
    assertThat(LogFormat.sniff(eve.lines().findFirst().orElseThrow()))
        .isEqualTo(LogFormat.SURICATA_EVE);
    assertThat(read(eve, LogFormat.SURICATA_EVE)).isEqualTo(2);
    assertThat(records.get(0).timestampNanos()).isEqualTo(1_625_097_600_250_000_000L);
    assertThat(records.get(0).serverName()).isEqualTo("xmr-eu1.nanopool.org");
    assertThat(records.get(0).ja3()).isEqualTo("b20b44b18b853ef29ab773e921b03422");
    assertThat(records.get(1).query()).isEqualTo("pool.hashvault.pro");
    assertThat(records.get(1).answers()).containsExactly(IpAddress.parse("203.0.113.74"));
    assertThat(problems)
        .containsExactly("test.log: line 3: no event_type, timestamp, src_ip or dest_ip");
  }

  @Test
  void headersWithoutTheirSeparatorAreReportedAndTheRestIsRead() throws Exception {
    // Found by fuzzing: a header without the separator made the reader throw and lose the file.
    String text =
        ZEEK_DNS_TSV
            .replace("#path\tdns", "#path\tdns\n#pathdns")
            .replace("#unset_field\t-", "#unset_field\t-\n#unset_field")
            .replace("#separator \\x09", "#separator \\x09\n#separator ");
    assertThat(read(text, LogFormat.ZEEK_TSV)).isEqualTo(2);
    assertThat(records.get(0).query()).isEqualTo("xmr.pool.minergate.com");
    assertThat(problems)
        .startsWith(
            "test.log: line 2: an empty #separator; the previous one is kept",
            "test.log: line 6: a #unset_field header without the separator; ignored",
            "test.log: line 8: a #path header without the separator; ignored");
  }

  @Test
  void aTimeWithAHugeExponentIsNoTimeAndIsReportedAtOnce() throws Exception {
    // Seen while writing LogReaderFuzzTest: "1e99999999" as a time was expanded digit by digit
    // (minutes, then out of
    // memory), and "1e2147483647" threw ArithmeticException and ended the file.
    String line =
        "{\"ts\":\"%s\",\"uid\":\"C1\",\"id.orig_h\":\"10.6.0.3\",\"id.orig_p\":40000,"
            + "\"id.resp_h\":\"203.0.113.72\",\"id.resp_p\":443,\"duration\":\"%s\"}\n";
    String text =
        line.formatted("1e99999999", "1")
            + line.formatted("1e2147483647", "1")
            + line.formatted("1625097600.5", "1e-99999999")
            + line.formatted("1625097601", "1e99999999");
    assertThat(read(text, LogFormat.ZEEK_JSON)).isEqualTo(2);
    assertThat(records)
        .extracting(LogRecord::timestampNanos)
        .containsExactly(1_625_097_600_500_000_000L, 1_625_097_601_000_000_000L);
    assertThat(records).extracting(LogRecord::durationSeconds).containsExactly(0.0, 0.0);
    assertThat(problems)
        .containsExactly(
            "test.log: line 1: no ts, id.orig_h or id.resp_h",
            "test.log: line 2: no ts, id.orig_h or id.resp_h");
  }

  @Test
  void otherTextIsNoLog() {
    assertThat(LogFormat.sniff("hello")).isNull();
    assertThat(LogFormat.sniff("{\"a\":1}")).isNull();
    assertThat(LogFormat.sniff(null)).isNull();
  }
}
