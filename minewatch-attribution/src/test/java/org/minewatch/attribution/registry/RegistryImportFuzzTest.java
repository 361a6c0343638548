package org.minewatch.attribution.registry;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

/**
 * The registry reader (CSV or JSON, recognised by content) on arbitrary text (docs/fuzzing.md). Its
 * contract: what cannot be used is a problem or warning naming the file, and the rest is imported;
 * nothing escapes, and what is imported can be built into a registry.
 */
class RegistryImportFuzzTest {

  @FuzzTest(maxDuration = "20s")
  void registry(byte[] data) throws IOException {
    RegistryImport.Result r =
        RegistryImport.read(new StringReader(new String(data, StandardCharsets.UTF_8)), "fuzz.csv");
    for (String p : r.problems()) {
      requireSource(p);
    }
    for (String w : r.warnings()) {
      requireSource(w);
    }
    UnitRegistry.build(r.allocations());
  }

  private static void requireSource(String line) {
    if (!line.startsWith("fuzz.csv: ")) {
      throw new AssertionError("problem without its file: " + line);
    }
  }
}
