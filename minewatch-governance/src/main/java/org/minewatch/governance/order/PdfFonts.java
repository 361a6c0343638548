package org.minewatch.governance.order;

import com.lowagie.text.pdf.BaseFont;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Finds a font for the PDF. OpenPDF's Base14 fonts have no Chinese glyphs, so a Chinese PDF needs a
 * CJK font from the machine, embedded (subset) so the PDF reads the same everywhere. Looks at, in
 * order: the path given by the caller, {@value #ENV}, then the usual Debian font paths.
 */
final class PdfFonts {
  static final String ENV = "MINEWATCH_PDF_FONT";
  static final List<String> DEBIAN_PATHS =
      List.of(
          "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
          "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
          "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
          "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
          "/usr/share/fonts/truetype/arphic/uming.ttc");

  private final Function<String, String> env;
  private final List<String> knownPaths;

  PdfFonts(Function<String, String> env, List<String> knownPaths) {
    this.env = env;
    this.knownPaths = List.copyOf(knownPaths);
  }

  static PdfFonts system() {
    return new PdfFonts(System::getenv, DEBIAN_PATHS);
  }

  /**
   * The font for a language: the first usable CJK font; for English without one, Helvetica (text in
   * Chinese inside an English document, such as a unit's name, is then lost).
   *
   * @param given a font file from the caller, or null
   * @throws IllegalStateException for Chinese without a CJK font, listing what was tried
   */
  BaseFont forLanguage(String lang, Path given) {
    List<String> tried = new ArrayList<>();
    List<String> candidates = new ArrayList<>();
    if (given != null) {
      candidates.add(given.toString());
    } else {
      tried.add("no font path passed in");
    }
    String fromEnv = env.apply(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      candidates.add(fromEnv.strip());
    } else {
      tried.add("$" + ENV + " (not set)");
    }
    candidates.addAll(knownPaths);
    for (String c : candidates) {
      BaseFont f = tryCjk(c, tried);
      if (f != null) {
        return f;
      }
    }
    if (!"zh".equals(lang)) {
      return helvetica();
    }
    throw new IllegalStateException(
        "No font with Chinese glyphs for the Chinese PDF; tried: "
            + String.join("; ", tried)
            + ". Give one: pass a font file (.ttf, .otf or .ttc) to "
            + "OrderDocument.pdf(facts, lang, font), or set "
            + ENV
            + "=/path/to/font.ttc, or install one "
            + "(Debian: apt-get install fonts-wqy-microhei). The English PDF works without one.");
  }

  /**
   * The font at a path if it exists, loads and has Chinese glyphs; else null, noting why in tried.
   */
  private static BaseFont tryCjk(String candidate, List<String> tried) {
    // A TrueType collection needs the index of the face: "font.ttc,0".
    String file = candidate.replaceFirst(",\\d+$", "");
    String spec =
        file.toLowerCase(Locale.ROOT).endsWith(".ttc") && file.equals(candidate)
            ? candidate + ",0"
            : candidate;
    if (!Files.isReadable(Path.of(file))) {
      tried.add(candidate + " (missing)");
      return null;
    }
    try {
      BaseFont f = BaseFont.createFont(spec, BaseFont.IDENTITY_H, BaseFont.EMBEDDED);
      if (!f.charExists('中') || !f.charExists('电')) {
        tried.add(candidate + " (no Chinese glyphs)");
        return null;
      }
      return f;
    } catch (Exception e) {
      tried.add(candidate + " (unreadable: " + e.getMessage() + ")");
      return null;
    }
  }

  private static BaseFont helvetica() {
    try {
      return BaseFont.createFont(BaseFont.HELVETICA, BaseFont.WINANSI, BaseFont.NOT_EMBEDDED);
    } catch (Exception e) {
      throw new IllegalStateException("cannot load Helvetica", e);
    }
  }
}
