package org.minewatch.governance.order;

import java.nio.file.Path;
import java.util.Locale;

/**
 * An order as a document: a self-contained HTML page or a PDF, in Chinese (the default) or English.
 * Both say the same things, laid out by {@link DocumentContent}.
 */
public final class OrderDocument {
  private OrderDocument() {}

  /** The Chinese HTML page. */
  public static String html(OrderFacts facts) {
    return html(facts, "zh");
  }

  /**
   * @param lang "zh" or "en"
   * @throws IllegalArgumentException for another language
   */
  public static String html(OrderFacts facts, String lang) {
    return HtmlRenderer.render(DocumentContent.of(facts, OrderMessages.of(lang)));
  }

  public static String html(OrderFacts facts, Locale locale) {
    return HtmlRenderer.render(DocumentContent.of(facts, OrderMessages.of(locale)));
  }

  /** The Chinese PDF, with a CJK font found on this machine. */
  public static byte[] pdf(OrderFacts facts) {
    return pdf(facts, "zh", null);
  }

  /**
   * @see #pdf(OrderFacts, String, Path)
   */
  public static byte[] pdf(OrderFacts facts, String lang) {
    return pdf(facts, lang, null);
  }

  public static byte[] pdf(OrderFacts facts, Locale locale) {
    return pdf(facts, OrderMessages.of(locale).lang(), null);
  }

  /**
   * The PDF. The font is {@code font} if given and usable, else {@code $MINEWATCH_PDF_FONT}, else a
   * CJK font at a usual Debian path; English falls back to Helvetica.
   *
   * @param font a .ttf, .otf or .ttc file ("file.ttc,1" picks another face of a collection), or
   *     null
   * @throws IllegalStateException for Chinese when no CJK font is found, saying what was tried
   */
  public static byte[] pdf(OrderFacts facts, String lang, Path font) {
    return pdf(facts, lang, font, PdfFonts.system());
  }

  static byte[] pdf(OrderFacts facts, String lang, Path font, PdfFonts fonts) {
    OrderMessages m = OrderMessages.of(lang);
    return PdfRenderer.render(DocumentContent.of(facts, m), fonts.forLanguage(m.lang(), font));
  }
}
