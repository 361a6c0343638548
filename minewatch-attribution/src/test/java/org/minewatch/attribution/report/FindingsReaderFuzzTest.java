package org.minewatch.attribution.report;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The findings reader ({@code minewatch report}'s input) on arbitrary lines (docs/fuzzing.md). Its
 * contract: a line that is not a finding is a problem naming the file and line ({@code FILE:LINE:
 * why}), the others are read; nothing escapes.
 */
class FindingsReaderFuzzTest {

  @FuzzTest(maxDuration = "20s")
  void findings(byte[] data) throws IOException {
    List<String> problems = new ArrayList<>();
    FindingsReader.read(
        "fuzz.jsonl",
        new BufferedReader(new StringReader(new String(data, StandardCharsets.UTF_8))),
        problems);
    for (String p : problems) {
      if (!p.matches("(?s)fuzz\\.jsonl:[1-9][0-9]*: .+")) {
        throw new AssertionError("problem without its line: " + p);
      }
    }
  }
}
