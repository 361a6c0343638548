package org.minewatch.attribution.assess;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * One reason for a judgement, as a code and its values, so that each reader sees it in their
 * language: the code names a pattern in a message bundle ({@code
 * org.minewatch.attribution.assess.reasons} for the assessment's, English by default, {@code _zh}
 * in Chinese). Stored as one line: the code and the values, tab-separated.
 */
public record Reason(String code, List<String> args) {
  public static final String BUNDLE = "org.minewatch.attribution.assess.reasons";

  public Reason {
    if (code.isEmpty() || code.indexOf('\t') >= 0 || code.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("a reason's code is one word: " + code);
    }
    List<String> clean = new ArrayList<>(args.size());
    for (String a : args) {
      // A value is one field of one line: a worker name may hold anything.
      clean.add(a == null ? "" : a.replace('\t', ' ').replace('\n', ' ').replace('\r', ' '));
    }
    args = List.copyOf(clean);
  }

  /**
   * Marks a value that is itself a reason (a phrase from the same bundle), and separates its
   * values.
   */
  private static final char NESTED = '\u0001';

  private static final char NESTED_SEPARATOR = '\u0002';

  /**
   * A reason from its code and values: a value that is a {@code Reason} is a phrase looked up in
   * the same bundle (a category's name, a weekday, "wallet X"), one level deep; any other value is
   * data, shown as it is.
   */
  public static Reason of(String code, Object... args) {
    List<String> values = new ArrayList<>(args.length);
    for (Object a : args) {
      if (a instanceof Reason r) {
        StringBuilder b = new StringBuilder().append(NESTED).append(r.code);
        for (String v : r.args) {
          b.append(NESTED_SEPARATOR).append(data(v));
        }
        values.add(b.toString());
      } else {
        values.add(data(String.valueOf(a)));
      }
    }
    return new Reason(code, values);
  }

  /** Data as one field: no control characters (a worker name may hold anything). */
  private static String data(String v) {
    StringBuilder b = new StringBuilder(v.length());
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      b.append(c < 0x20 ? ' ' : c);
    }
    return b.toString();
  }

  /** The values: a phrase as a {@code Reason}, data as a {@code String}. */
  public List<Object> values() {
    List<Object> out = new ArrayList<>(args.size());
    for (String a : args) {
      out.add(!a.isEmpty() && a.charAt(0) == NESTED ? nested(a) : a);
    }
    return out;
  }

  private static Reason nested(String a) {
    String[] parts = a.substring(1).split(String.valueOf(NESTED_SEPARATOR), -1);
    return new Reason(parts[0], List.of(parts).subList(1, parts.length));
  }

  /** The line stored: code, then each value, separated by tabs. */
  public String encode() {
    return args.isEmpty() ? code : code + "\t" + String.join("\t", args);
  }

  /**
   * A stored line back as a reason; a line without tabs is a code alone (or text stored before
   * codes: see {@link #text}).
   */
  public static Reason decode(String line) {
    String[] parts = line.split("\t", -1);
    return new Reason(parts[0].isEmpty() ? "-" : parts[0], List.of(parts).subList(1, parts.length));
  }

  /** In English, from this module's bundle. */
  public String text() {
    return text(Locale.ROOT, BUNDLE);
  }

  /**
   * The reason in a language, its pattern and its phrases from the first of the named bundles that
   * has them; a code none knows is shown as it is stored (so a sentence stored before reasons had
   * codes still reads as that sentence).
   */
  public String text(Locale locale, String... bundles) {
    List<ResourceBundle> found = new ArrayList<>(bundles.length);
    for (String name : bundles) {
      ResourceBundle b = bundle(name, locale);
      if (b != null) {
        found.add(b);
      }
    }
    return render(found, locale);
  }

  private String render(List<ResourceBundle> bundles, Locale locale) {
    ResourceBundle b = bundles.stream().filter(x -> x.containsKey(code)).findFirst().orElse(null);
    if (b == null) {
      return args.isEmpty() ? code : code + " " + String.join(" ", args);
    }
    Object[] values = values().toArray();
    for (int i = 0; i < values.length; i++) {
      if (values[i] instanceof Reason r) {
        values[i] = r.render(bundles, locale);
      }
    }
    return new MessageFormat(b.getString(code), locale).format(values);
  }

  private static ResourceBundle bundle(String name, Locale locale) {
    try {
      return ResourceBundle.getBundle(
          name,
          locale,
          ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    } catch (MissingResourceException e) {
      return null;
    }
  }
}
