package org.minewatch.governance.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrderDocumentPdfTest {
  /** No font anywhere: what a machine without CJK fonts sees. */
  private static final PdfFonts NO_FONTS =
      new PdfFonts(name -> null, List.of("/nonexistent/cjk.ttc"));

  private static final OrderFacts PRICE =
      OrderFixtures.price("呼和浩特某数据科技有限公司", OrderFixtures.innerMongoliaMetered());

  @Test
  void englishWorksWithoutACjkFont() throws IOException {
    byte[] pdf = OrderDocument.pdf(PRICE, "en", null, NO_FONTS);
    assertThat(new String(pdf, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
    String text = text(pdf);
    assertThat(text).contains("Punitive Electricity Price Order", "MW-2026-000042", "12,345.60");
    // Helvetica has no Chinese: the unit's name shows as one '?' per character, not as nothing.
    assertThat(text).contains("To: " + "?".repeat("呼和浩特某数据科技有限公司".length()));
  }

  @Test
  void chineseWithoutACjkFontSaysWhatWasTriedAndHowToGiveOne() {
    assertThatThrownBy(
            () -> OrderDocument.pdf(PRICE, "zh", Path.of("/nonexistent/given.ttf"), NO_FONTS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("/nonexistent/given.ttf (missing)")
        .hasMessageContaining("$MINEWATCH_PDF_FONT (not set)")
        .hasMessageContaining("/nonexistent/cjk.ttc (missing)")
        .hasMessageContaining("set MINEWATCH_PDF_FONT=/path/to/font.ttc")
        .hasMessageContaining("apt-get install fonts-wqy-microhei");
  }

  @Test
  void aFileThatIsNotAFontIsSkippedAndSaidSo(@TempDir Path dir) throws IOException {
    Path bogus = Files.writeString(dir.resolve("bogus.ttf"), "not a font");
    assertThatThrownBy(() -> OrderDocument.pdf(PRICE, "zh", bogus, NO_FONTS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(bogus + " (unreadable: ");
  }

  @Test
  void chineseWithTheCjkFont() throws IOException {
    Path font = cjkFont();
    byte[] pdf = OrderDocument.pdf(PRICE, "zh", font, NO_FONTS);
    assertThat(new String(pdf, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
    String text = text(pdf);
    assertThat(text).contains("惩罚性电价执行决定书", "MW-2026-000042", "呼和浩特某数据科技有限公司", "12,345.60");
    // Subset, not the whole multi-megabyte collection.
    assertThat(pdf.length).isLessThan(1_000_000);
  }

  @Test
  void theFontIsFoundFromTheEnvironmentVariable() throws IOException {
    Path font = cjkFont();
    PdfFonts fromEnv = new PdfFonts(Map.of(PdfFonts.ENV, font.toString())::get, List.of());
    assertThat(text(OrderDocument.pdf(OrderFixtures.summons(), "zh", null, fromEnv)))
        .contains("约谈通知书");
  }

  @Test
  void theSystemLookupFindsTheDebianFont() throws IOException {
    cjkFont();
    byte[] pdf = OrderDocument.pdf(OrderFixtures.powerCut());
    assertThat(text(pdf)).contains("停止供电通知书", "0102-3344-5566");
  }

  @Test
  void englishUsesTheCjkFontWhenThereIsOneSoChineseNamesSurvive() throws IOException {
    Path font = cjkFont();
    String text = text(OrderDocument.pdf(PRICE, "en", font, NO_FONTS));
    assertThat(text).contains("Punitive Electricity Price Order", "呼和浩特某数据科技有限公司");
  }

  /** The Debian font the brief names; the tests that need it skip without it. */
  private static Path cjkFont() {
    Path font = Path.of("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc");
    assumeTrue(
        Files.isReadable(font),
        "skipped: no CJK font at " + font + " (Debian: apt-get install fonts-wqy-microhei)");
    return font;
  }

  private static String text(byte[] pdf) throws IOException {
    PdfReader reader = new PdfReader(pdf);
    try {
      PdfTextExtractor extractor = new PdfTextExtractor(reader);
      StringBuilder all = new StringBuilder();
      for (int page = 1; page <= reader.getNumberOfPages(); page++) {
        all.append(extractor.getTextFromPage(page)).append('\n');
      }
      return all.toString();
    } finally {
      reader.close();
    }
  }
}
