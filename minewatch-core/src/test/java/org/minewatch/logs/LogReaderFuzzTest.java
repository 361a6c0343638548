package org.minewatch.logs;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

/**
 * Zeek (TSV and JSON) and Suricata EVE lines on arbitrary text (docs/fuzzing.md), in the format the
 * first line is recognised as, and in each format regardless. Their contract: a line that cannot be
 * read is a problem naming the file and line, and the rest is read; nothing escapes.
 */
class LogReaderFuzzTest {

  @FuzzTest(maxDuration = "20s")
  void lines(byte[] data) throws IOException {
    String text = new String(data, StandardCharsets.UTF_8);
    LogFormat sniffed = LogFormat.sniff(text.lines().findFirst().orElse(null));
    for (LogFormat format : LogFormat.values()) {
      if (sniffed == null || sniffed == format) {
        LogReader.read(
            "fuzz.log",
            new BufferedReader(new StringReader(text)),
            format,
            r -> {},
            problem -> {
              if (!problem.startsWith("fuzz.log: line ")) {
                throw new AssertionError("problem without its line: " + problem);
              }
            });
      }
    }
  }
}
