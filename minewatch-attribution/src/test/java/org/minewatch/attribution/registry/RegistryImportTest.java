package org.minewatch.attribution.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hostile and broken registries: one bad record costs that record, never the rest of the file. */
class RegistryImportTest {
  private static final String HEADER =
      "range,unit,code,category,region_code,region,address,contact\n";

  private static RegistryImport.Result read(String text, String name) throws IOException {
    return RegistryImport.read(new StringReader(text), name);
  }

  /** {@code n} good lines for 10.100.i.0/24 with an address, so that they draw no warning. */
  private static String goodLines(int from, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < from + n; i++) {
      b.append("10.100.")
          .append(i)
          .append(".0/24,Unit ")
          .append(i)
          .append(",,enterprise,,,Road ")
          .append(i)
          .append(",\n");
    }
    return b.toString();
  }

  @Test
  void anUnterminatedQuoteCostsItsOwnLineAndEveryOtherLineImports() throws IOException {
    String text =
        HEADER
            + goodLines(0, 3)
            + "10.4.0.0/16,\"Unterminated unit,,enterprise,,,Road,\n"
            + goodLines(3, 200);
    RegistryImport.Result r = read(text, "units.csv");
    assertThat(r.problems())
        .containsExactly(
            "units.csv: line 5: the quote opening field 2 (\"unit\") at column 13 is "
                + "not closed within 16 lines; the line is skipped and reading goes on with the next");
    assertThat(r.allocations()).hasSize(203);
    assertThat(r.allocations().get(3).unit().name()).isEqualTo("Unit 3");
    assertThat(r.allocations().get(3).line()).isEqualTo(6);
    assertThat(r.allocations().get(202).unit().name()).isEqualTo("Unit 202");
    assertThat(r.warnings()).isEmpty();
  }

  @Test
  void anUnterminatedQuoteNearTheEndIsBoundedByTheEndOfTheFile() throws IOException {
    RegistryImport.Result r =
        read(
            HEADER + goodLines(0, 1) + "10.4.0.0/16,Unit,,enterprise,,,\"Road\n" + goodLines(1, 2),
            "units.csv");
    assertThat(r.problems())
        .containsExactly(
            "units.csv: line 3: the quote opening field 7 (\"address\") at column 32 "
                + "is not closed by the end of the file; the line is skipped and reading goes on with the next");
    assertThat(r.allocations())
        .extracting(a -> a.unit().name())
        .containsExactly("Unit 0", "Unit 1", "Unit 2");
  }

  @Test
  void textAfterAClosingQuoteSkipsThatRecordAlone() throws IOException {
    RegistryImport.Result r =
        read(
            HEADER
                + goodLines(0, 2)
                + "10.4.0.0/16,\"Closed\" trailing,,enterprise,,,Road,\n"
                + "10.5.0.0/16,\"Spans\ntwo lines\" x,,enterprise,,,Road,\n"
                + goodLines(2, 2),
            "units.csv");
    assertThat(r.problems())
        .containsExactly(
            "units.csv: line 4: text after the closing quote of field 2 (\"unit\"): \"trailing\" (a quote inside a quoted "
                + "field is written twice); the record is skipped",
            "units.csv: line 5: text after the closing quote of field 2 (\"unit\"): \"x\" (a quote inside a quoted field "
                + "is written twice); the record is skipped");
    assertThat(r.allocations())
        .extracting(a -> a.unit().name())
        .containsExactly("Unit 0", "Unit 1", "Unit 2", "Unit 3");
    assertThat(r.allocations()).extracting(Allocation::line).containsExactly(2L, 3L, 7L, 8L);
  }

  @Test
  void aQuotedFieldMaySpanLinesAndHoldQuotesAndCommas() throws IOException {
    RegistryImport.Result r =
        read(
            HEADER
                + "10.4.0.0/16,\"The \"\"Quoted\"\" Unit\",,enterprise,,,\"1 Road,\n"
                + "\n  Building 2\",\n"
                + goodLines(0, 1),
            "units.csv");
    assertThat(r.problems()).isEmpty();
    assertThat(r.allocations()).hasSize(2);
    assertThat(r.allocations().get(0).unit().name()).isEqualTo("The \"Quoted\" Unit");
    assertThat(r.allocations().get(0).unit().address()).isEqualTo("1 Road,\n\n  Building 2");
    assertThat(r.allocations().get(1).line()).isEqualTo(5);
  }

  @Test
  void aJsonArrayOnOneLineReportsEachBadElementByItsColumnAndKeepsTheRest() throws IOException {
    String json =
        "[{\"range\":\"192.0.2.0/25\",\"unit\":\"A\",\"category\":\"idc\",\"address\":\"x\"},"
            + "42,"
            + "{\"range\":\"192.0.2.128/25\",\"unit\":\"B\" \"category\":\"idc\"},"
            + "{\"range\":\"198.51.100.0/24\",\"unit\":\"C\",\"category\":\"idc\",\"address\":\"y\"},"
            + "{\"range\":\"10.0.0.1/8\",\"unit\":\"D\"},"
            + "{\"range\":\"203.0.113.0/24\",\"unit\":\"E\",\"category\":\"idc\",\"address\":\"z\"}]";
    RegistryImport.Result r = read(json, "units.json");
    assertThat(r.problems())
        .containsExactly(
            "units.json: line 1, column 69: element 2 is 42, not an object; skipped",
            "units.json: line 1, column 72: element 3 is not valid JSON (Unexpected character ('\"' (code 34)): was "
                + "expecting comma to separate Object entries near line 1, column 109); skipped; reading goes on at "
                + "line 1, column 127",
            "units.json: line 1, column 197: \"10.0.0.1/8\" has host bits set (the network is 10.0.0.0/8)");
    assertThat(r.allocations()).extracting(a -> a.unit().name()).containsExactly("A", "C", "E");
    assertThat(r.allocations())
        .extracting(Allocation::where)
        .containsExactly(
            "units.json: line 1, column 2",
            "units.json: line 1, column 127",
            "units.json: line 1, column 231");
  }

  @Test
  void jsonLinesResumeAfterABrokenLine() throws IOException {
    String json =
        "{\"range\":\"192.0.2.0/25\",\"unit\":\"A\",\"category\":\"idc\",\"address\":\"x\"}\n"
            + "{\"range\":\"192.0.2.128/25\",\"unit\":\"B,\"category\":\"idc\"}\n"
            + "{\"range\":\"198.51.100.0/24\",\"unit\":\"C\",\"category\":\"idc\",\"address\":\"y\"}\n";
    RegistryImport.Result r = read(json, "units.jsonl");
    assertThat(r.problems()).hasSize(1);
    assertThat(r.problems().get(0))
        .startsWith("units.jsonl: line 2, column 1: element 2 is not valid JSON (")
        .endsWith("; skipped; reading goes on at line 3, column 1");
    assertThat(r.allocations()).extracting(a -> a.unit().name()).containsExactly("A", "C");
  }

  @Test
  void messagesAreKeptTwentyPerKindAndCountedBeyond() throws IOException {
    StringBuilder csv = new StringBuilder(HEADER);
    for (int i = 0; i < 30; i++) {
      csv.append("10.1.")
          .append(i)
          .append(".0/24,Unit ")
          .append(i)
          .append(",,enterprise,,,,\n"); // no address
    }
    for (int i = 0; i < 25; i++) {
      csv.append("10.2.")
          .append(i)
          .append(".0/24,Bank ")
          .append(i)
          .append(",,bank,,,Road,\n"); // unknown category
    }
    for (int i = 0; i < 22; i++) {
      csv.append("10.3.").append(i).append(".0/33,Broken,,enterprise,,,Road,\n");
    }
    RegistryImport.Result r = read(csv.toString(), "units.csv");
    assertThat(r.allocations()).hasSize(55);
    assertThat(r.warnings()).hasSize(42);
    assertThat(r.warnings().get(19))
        .isEqualTo(
            "units.csv: line 21: no address: Unit 19's site cannot be located "
                + "from this record");
    assertThat(r.warnings().get(20)).startsWith("units.csv: line 32: category \"bank\" is none of");
    assertThat(r.warnings().subList(40, 42))
        .containsExactly(
            "units.csv: 10 more records without an address; imported",
            "units.csv: 5 more records with an unknown category; imported as unknown");
    assertThat(r.problems()).hasSize(21);
    assertThat(r.problems().get(20))
        .isEqualTo("units.csv: 2 more records whose range cannot be read; not imported");
  }

  @Test
  void aMegabyteNameIsShortenedInEveryMessage() throws IOException {
    String name = "N".repeat(1 << 20);
    RegistryImport.Result r =
        read(
            HEADER + "10.0.0.0/8,Outer,,enterprise,,,Road,\n10.1.0.0/16," + name + ",,church,,,,\n",
            "units.csv");
    String shown = "N".repeat(80) + "… (1,048,576 characters)";
    assertThat(r.warnings())
        .containsExactly(
            "units.csv: line 3: category \"church\" is none of government, public-institution, university, soe, "
                + "enterprise, idc, residential, mobile, unknown; "
                + shown
                + " is imported as unknown",
            "units.csv: line 3: no address: "
                + shown
                + "'s site cannot be located from this record");
    assertThat(r.allocations().get(1).unit().name())
        .isEqualTo(name); // kept whole: only messages are shortened
    assertThat(UnitRegistry.build(r.allocations()).notes())
        .containsExactly(
            "units.csv: line 3: range "
                + "10.1.0.0-10.1.255.255 lies inside units.csv: line 2's 10.0.0.0-10.255.255.255: its addresses belong to "
                + shown
                + " (the more specific range)");
  }

  @Test
  void aHundredThousandNestedRangesGiveTwentyNotesAndACount() throws IOException {
    List<Allocation> all = new ArrayList<>();
    Unit u = new Unit("Nested", null, UnitCategory.IDC, null, null, "Road", null);
    all.add(new Allocation(IpRange.parse("10.0.0.0/8"), u, "units.csv", 2));
    for (int i = 0; i < 100_000; i++) {
      all.add(
          new Allocation(
              IpRange.parse(
                  "10." + (i >> 12) + "." + (i >> 4 & 0xff) + "." + (i & 0xf) * 16 + "/28"),
              u,
              "units.csv",
              i + 3));
    }
    List<String> notes = UnitRegistry.build(all).notes();
    assertThat(notes).hasSize(21);
    assertThat(notes.get(0))
        .isEqualTo(
            "units.csv: line 3: range 10.0.0.0-10.0.0.15 lies inside units.csv: line 2's "
                + "10.0.0.0-10.255.255.255: its addresses belong to Nested (the more specific range)");
    assertThat(notes.get(20))
        .isEqualTo(
            "99,980 more ranges inside another: their addresses belong to the more "
                + "specific range");
  }
}
