package org.minewatch.governance.ingest;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.minewatch.governance.Problem;

/**
 * The server's ingest parser (the body of {@code POST /api/findings}, line by line) on arbitrary
 * text (docs/fuzzing.md). Its contract: a line it refuses is a {@link Problem} of kind INVALID
 * naming the line; nothing else escapes.
 */
class FindingParserFuzzTest {

  @FuzzTest(maxDuration = "20s")
  void line(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    try {
      FindingParser.parse(text, 7);
    } catch (Problem p) {
      if (p.kind() != Problem.Kind.INVALID || p.line() == null || p.line() != 7) {
        throw new AssertionError(
            "refusal of kind " + p.kind() + " at line " + p.line() + ": " + p.getMessage());
      }
    }
  }
}
