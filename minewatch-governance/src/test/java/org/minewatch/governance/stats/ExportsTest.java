package org.minewatch.governance.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.minewatch.governance.Findings;
import org.minewatch.governance.GovernanceTestBase;
import org.minewatch.governance.Problem;
import org.minewatch.governance.audit.AuditLog;
import org.minewatch.governance.cases.CaseQuery;

/** The case lists and the weekly inventory as CSV and XLSX. */
class ExportsTest extends GovernanceTestBase {
  static final CaseQuery PRIORITY_LIST =
      new CaseQuery(
          List.of(), null, "list", null, null, null, null, "priority", 1, CaseQuery.MAX_SIZE);

  @Test
  void csvQuotesWhatNeedsItAndDisarmsFormulas() {
    Exports.Table t =
        new Exports.Table(
            "t",
            List.of("a", "b"),
            List.of(
                Arrays.asList("a,b", "say \"hi\""),
                Arrays.asList("=1+2", "+x"),
                Arrays.asList("-x", "@x"),
                Arrays.asList(-5, 2.5),
                Arrays.asList(null, "line\nbreak"),
                Arrays.asList("=HYPERLINK(\"http://x\",\"y\")", "示例大学")));

    assertThat(Exports.csv(t))
        .isEqualTo(
            "\uFEFFa,b\r\n"
                + "\"a,b\",\"say \"\"hi\"\"\"\r\n"
                + "'=1+2,'+x\r\n"
                + "'-x,'@x\r\n"
                + "-5,2.5\r\n"
                + ",\"line\nbreak\"\r\n"
                + "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",示例大学\r\n");
  }

  @Test
  void thePriorityListAsCsvIsAuditedAsAnExport() {
    sampleCases();

    Exports.Table t = gov.exportCases(NANJING, PRIORITY_LIST, "重点名单");

    assertThat(Exports.csv(t).split("\r\n"))
        .containsExactly(
            "\uFEFFnumber,state,priority,priority_list,unit,"
                + "unit_code,category,region_code,region,host,hosts,coins,assessment,kwh_per_day_low,kwh_per_day_best,"
                + "kwh_per_day_high,opened_at,deadline,overdue,priority_reasons",
            "MW-2026-000001,detected,35,yes,示例大学 (Example University),12320100MB0000012N,university,320100,南京市,,1,"
                + "monero,compromised,0.087,0.4,1.579,2026-03-02T02:00:00Z,2026-03-05T02:00:00Z,no,"
                + "state-owned or public body: university; compromised host");
    assertThat(lastAudit())
        .extracting(
            AuditLog.Entry::actor,
            AuditLog.Entry::action,
            AuditLog.Entry::subject,
            AuditLog.Entry::detail)
        .containsExactly("nanjing", "export", "重点名单", "1 cases");
    assertThat(gov.exportCases(ADMIN, PRIORITY_LIST, "重点名单").rows())
        .extracting(r -> r.get(0))
        .containsExactly("MW-2026-000002", "MW-2026-000001");
    assertThat(gov.exportCases(ADMIN, CaseQuery.all(), "全量名单").rows()).hasSize(3);
    assertThat(problem(() -> gov.exportCases(GRID, CaseQuery.all(), "x")).kind())
        .isEqualTo(Problem.Kind.FORBIDDEN);
  }

  @Test
  void xlsxIsAWorkbookWithTheSheet() throws IOException {
    sampleCases();
    Exports.Table t = gov.exportCases(ADMIN, CaseQuery.all(), "全量名单");
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    Exports.xlsx(t, out);

    byte[] xlsx = out.toByteArray();
    assertThat(new String(xlsx, 0, 2, StandardCharsets.US_ASCII)).isEqualTo("PK");
    Map<String, String> parts = unzip(xlsx);
    assertThat(parts)
        .containsKeys("[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml");
    assertThat(parts.get("xl/workbook.xml")).contains("name=\"全量名单\"");
    String text =
        parts.get("xl/worksheets/sheet1.xml") + parts.getOrDefault("xl/sharedStrings.xml", "");
    assertThat(text)
        .contains("MW-2026-000001", "MW-2026-000003", Findings.UNIVERSITY_NAME, "kwh_per_day_best");
  }

  @Test
  void aSheetTitleSpreadsheetsWouldRefuseIsMadeSafe() throws IOException {
    assertThat(sheetName("cases 2026/03 [draft]: a very long title indeed"))
        .isEqualTo("cases 2026-03 -draft-- a very l");
    assertThat(sheetName("  ")).isEqualTo("Sheet1");
    assertThat(sheetName(null)).isEqualTo("Sheet1");
  }

  private String sheetName(String title) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Exports.xlsx(new Exports.Table(title, List.of("a"), List.<List<Object>>of(List.of("x"))), out);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("<sheet name=\"([^\"]*)\"")
            .matcher(unzip(out.toByteArray()).get("xl/workbook.xml"));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  @Test
  void theWeeklyInventory() {
    sampleCases();

    Exports.Table t = gov.inventory(ADMIN);

    assertThat(t.header())
        .containsExactly(
            "case",
            "owner",
            "unit_code",
            "category",
            "region_code",
            "region",
            "address",
            "mining_hosts",
            "coins",
            "hashrate",
            "power_kw_best",
            "kwh_per_day_low",
            "kwh_per_day_best",
            "kwh_per_day_high",
            "assessment",
            "status");
    assertThat(t.rows()).hasSize(3);
    assertThat(t.rows().get(0))
        .containsExactly(
            "MW-2026-000001",
            Findings.UNIVERSITY_NAME,
            Findings.UNIVERSITY_CODE,
            "university",
            "320100",
            "南京市",
            "南京市鼓楼区示例路22号",
            1,
            "monero",
            "randomx 666.6 H/s",
            0.017,
            0.087,
            0.4,
            1.579,
            "compromised",
            "detected");
    assertThat(t.rows().get(2))
        .containsExactly(
            "MW-2026-000003",
            Findings.RESIDENTIAL_NAME,
            null,
            "residential",
            "320500",
            "苏州市",
            "苏州市姑苏区示例小区3栋",
            1,
            "ethereum",
            "",
            null,
            null,
            null,
            null,
            "undetermined",
            "detected");
    assertThat(gov.inventory(NANJING).rows())
        .extracting(r -> r.get(0))
        .containsExactly("MW-2026-000001");
    assertThat(lastAudit())
        .extracting(AuditLog.Entry::action, AuditLog.Entry::subject, AuditLog.Entry::detail)
        .containsExactly("export", "inventory", "1 rows");
  }

  /** fastexcel writes every character outside ASCII as a character reference ({@code &#x5168;}). */
  private static String unescape(String xml) {
    return java.util.regex.Pattern.compile("&#x([0-9a-fA-F]+);")
        .matcher(xml)
        .replaceAll(
            r ->
                java.util.regex.Matcher.quoteReplacement(
                    Character.toString(Integer.parseInt(r.group(1), 16))));
  }

  /**
   * The parts of a zip, read with java.util.zip.ZipFile (its central directory, as spreadsheet
   * programs do).
   */
  private Map<String, String> unzip(byte[] zip) throws IOException {
    Path file = Files.write(Files.createTempFile(dir, "export", ".xlsx"), zip);
    Map<String, String> parts = new HashMap<>();
    try (ZipFile z = new ZipFile(file.toFile())) {
      for (ZipEntry e : java.util.Collections.list(z.entries())) {
        try (InputStream in = z.getInputStream(e)) {
          parts.put(e.getName(), unescape(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
      }
    }
    return parts;
  }
}
