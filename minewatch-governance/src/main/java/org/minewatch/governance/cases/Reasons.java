package org.minewatch.governance.cases;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.minewatch.attribution.assess.Reason;

/**
 * Reasons as cases store them (one encoded {@link Reason} a line) and as people read them: the
 * priority's patterns from this package's bundle, the assessment's from attribution's. English
 * unless a language is asked for.
 */
public final class Reasons {
  public static final String PRIORITY_BUNDLE = "org.minewatch.governance.cases.priority";

  private Reasons() {}

  public static String text(Reason r, Locale locale) {
    return r.text(locale, PRIORITY_BUNDLE, Reason.BUNDLE);
  }

  public static String english(Reason r) {
    return text(r, Locale.ROOT);
  }

  /** Stored lines as reasons; null or empty: none. */
  public static List<Reason> decode(String lines) {
    if (lines == null || lines.isEmpty()) {
      return List.of();
    }
    List<Reason> out = new ArrayList<>();
    for (String line : lines.split("\n")) {
      out.add(Reason.decode(line));
    }
    return List.copyOf(out);
  }

  public static String encode(List<Reason> reasons) {
    return String.join("\n", reasons.stream().map(Reason::encode).toList());
  }
}
