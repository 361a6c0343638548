package org.minewatch.attribution.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Findings files as a tester broke them: each bad line is named with its field and skipped, the
 * rest is read.
 */
class FindingsReaderTest {
  private static final String GOOD =
      "{\"host\":\"10.9.0.5\",\"role\":\"miner\",\"verdict\":\"mining\","
          + "\"coin\":\"monero\","
          + "\"flows\":2,\"bytes\":1200,\"first_seen\":\"2021-09-24T10:00:00Z\",\"last_seen\":\"2021-09-24T11:00:00Z\","
          + "\"hashrate\":{\"value\":519.7,\"unit\":\"H/s\",\"low\":374.2,\"high\":705.0,\"shares\":30},"
          + "\"kwh_per_day\":{\"low\":0.1,\"best\":0.2,\"high\":0.3},\"peers\":[\"198.51.100.9:3333\"]}";

  private final List<String> problems = new ArrayList<>();

  private List<FindingsReader.Row> read(String... lines) throws IOException {
    return FindingsReader.read(
        "scan.jsonl", new BufferedReader(new StringReader(String.join("\n", lines))), problems);
  }

  /** The good line with one field replaced by {@code json} (the raw JSON of the new value). */
  private static String with(String field, String json) {
    return GOOD.replaceFirst(
        "\"" + field + "\":(\"[^\"]*\"|[-0-9.]+|\\{[^}]*\\})", "\"" + field + "\":" + json);
  }

  @Test
  void theTestersLinesAreEachReportedByFieldAndSkipped() throws IOException {
    List<FindingsReader.Row> rows =
        read(
            GOOD,
            with("flows", "\"abc\""),
            with("role", "\"wizard\""),
            with("bytes", "-5"),
            with("hashrate", "{\"value\":\"NaN\",\"unit\":\"H/s\"}"),
            with("verdict", "\"wizard\""),
            with("flows", "1.5"),
            with("kwh_per_day", "{\"best\":-1}"),
            with("host", "\"10.9.0.500\""),
            GOOD.replace("10.9.0.5", "10.9.0.6"));
    assertThat(problems)
        .containsExactly(
            "scan.jsonl:2: field \"flows\": expected a non-negative integer, got \"abc\"",
            "scan.jsonl:3: field \"role\": expected one of miner, node, pool, got \"wizard\"",
            "scan.jsonl:4: field \"bytes\": expected a non-negative integer, got -5",
            "scan.jsonl:5: field \"hashrate.value\": expected a finite number of at least 0, got \"NaN\"",
            "scan.jsonl:6: field \"verdict\": expected one of likely, mining, node, suspect, got \"wizard\"",
            "scan.jsonl:7: field \"flows\": expected a non-negative integer, got 1.5",
            "scan.jsonl:8: field \"kwh_per_day.best\": expected a finite number of at least 0, got -1",
            "scan.jsonl:9: field \"host\": expected an IP address, got \"10.9.0.500\"");
    assertThat(rows)
        .extracting(r -> r.host().host().toString())
        .containsExactly("10.9.0.5", "10.9.0.6");
    assertThat(rows.get(0).host().hashrate()).isEqualTo(519.7);
    assertThat(rows.get(0).host().kwhPerDay()).containsExactly(0.1, 0.2, 0.3);
  }

  @Test
  void parserErrorsAreOneLineWithoutTheParsersInternals() throws IOException {
    String deep = "{\"host\":\"10.9.0.5\",\"x\":" + "[".repeat(40) + "]".repeat(40) + "}";
    read(
        deep,
        "{\"host\":",
        "[1,2]",
        "{\"host\":\"10.9.0.5\",\"hashrate\":{\"value\":NaN}}",
        GOOD + " x");
    assertThat(problems)
        .containsExactly(
            "scan.jsonl:1: not valid JSON (Document nesting depth (17) exceeds the maximum allowed (16))",
            "scan.jsonl:2: not valid JSON (Unexpected end-of-input within/between Object entries at column 9)",
            "scan.jsonl:3: not a JSON object",
            "scan.jsonl:4: not valid JSON (Non-standard token 'NaN' at column 43)",
            "scan.jsonl:5: not valid JSON (Unrecognized token 'x': was expecting (JSON String, Number, Array, Object or "
                + "token 'null', 'true' or 'false') at column "
                + (GOOD.length() + 2)
                + ")");
  }

  @Test
  void aLongStringIsShortenedInTheMessage() throws IOException {
    read(with("coin", "5"), with("role", "\"" + "w".repeat(5000) + "\""));
    assertThat(problems)
        .containsExactly(
            "scan.jsonl:1: field \"coin\": expected a string, got 5",
            "scan.jsonl:2: field \"role\": expected one of miner, node, pool, got \""
                + "w".repeat(80)
                + "… (5,000 characters)\"");
  }
}
