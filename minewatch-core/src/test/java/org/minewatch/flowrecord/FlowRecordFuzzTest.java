package org.minewatch.flowrecord;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The flow-record readers on arbitrary bytes (docs/fuzzing.md). Their contracts: the export decoder
 * answers a message it cannot read with {@link ExportFormatException} (templates from earlier
 * messages stay in force); IPFIX files and nfdump CSV report a bad message or line as a problem
 * with its place and read on. Nothing else may escape.
 */
class FlowRecordFuzzTest {
  private static final Consumer<FlowRecord> CHECK =
      r -> {
        if (r.source() == null
            || r.destination() == null
            || r.sourcePort() < 0
            || r.sourcePort() > 65535
            || r.destinationPort() < 0
            || r.destinationPort() > 65535) {
          throw new AssertionError("record out of range: " + r);
        }
      };

  /**
   * Several export datagrams from a few exporters through one decoder, as the collector receives
   * them.
   */
  @FuzzTest(maxDuration = "20s")
  void exportMessages(FuzzedDataProvider data) {
    ExportDecoder decoder = new ExportDecoder();
    while (data.remainingBytes() > 0) {
      String exporter = data.consumeBoolean() ? "192.0.2.1:2055" : "192.0.2.2:2055";
      byte[] message = data.consumeBytes(data.consumeInt(0, 1500));
      try {
        decoder.decode(exporter, message, 0, message.length, CHECK);
      } catch (ExportFormatException e) {
        if (e.getMessage() == null || !e.getMessage().contains(exporter)) {
          throw new AssertionError("fault without its exporter: " + e.getMessage());
        }
      }
    }
  }

  @FuzzTest(maxDuration = "20s")
  void ipfixFile(byte[] data) throws IOException {
    IpfixFile.read(
        "fuzz.ipfix",
        new ByteArrayInputStream(data),
        new ExportDecoder(),
        CHECK,
        text -> requirePlace(text, "fuzz.ipfix: "));
  }

  @FuzzTest(maxDuration = "20s")
  void nfdumpCsv(byte[] data) throws IOException {
    String text = new String(data, StandardCharsets.UTF_8);
    NfdumpCsv.sniff(text.lines().findFirst().orElse(null));
    NfdumpCsv.read(
        "fuzz.csv",
        new BufferedReader(new StringReader(text)),
        CHECK,
        problem -> requirePlace(problem, "fuzz.csv: line "));
  }

  private static void requirePlace(String problem, String prefix) {
    if (!problem.startsWith(prefix) && !problem.contains(prefix)) {
      throw new AssertionError("problem without its place: " + problem);
    }
  }
}
