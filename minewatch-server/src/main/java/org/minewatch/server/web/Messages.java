package org.minewatch.server.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pages' words in one language, from {@code messages_LANG.properties}, {@code
 * dashboard_LANG.properties} and {@code tipoff_LANG.properties} (UTF-8). A missing key shows as
 * {@code ??key??}, so a page never fails for a word; a test checks both files have the same keys.
 */
public final class Messages {
  public static final Set<String> LANGUAGES = Set.of("zh", "en");

  /** One file per part of the console, so each part keeps its own words. */
  static final java.util.List<String> BUNDLES =
      java.util.List.of("messages", "dashboard", "tipoff");

  private static final Map<String, Messages> BY_LANG = Map.of("zh", load("zh"), "en", load("en"));

  private final String lang;
  private final Map<String, String> words;

  private Messages(String lang, Map<String, String> words) {
    this.lang = lang;
    this.words = words;
  }

  public static Messages of(String lang) {
    return BY_LANG.getOrDefault(lang, BY_LANG.get("zh"));
  }

  private static Messages load(String lang) {
    Properties p = new Properties();
    for (String bundle : BUNDLES) {
      try (InputStream in =
          Messages.class.getResourceAsStream(bundle + "_" + lang + ".properties")) {
        if (in == null) {
          throw new IllegalStateException(
              bundle + "_" + lang + ".properties is missing from the class path");
        }
        p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Map<String, String> m = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    return new Messages(lang, Map.copyOf(m));
  }

  public String lang() {
    return lang;
  }

  /** The other language, for the switch. */
  public String other() {
    return lang.equals("zh") ? "en" : "zh";
  }

  public Set<String> keys() {
    return words.keySet();
  }

  public String get(String key) {
    String w = words.get(key);
    return w != null ? w : "??" + key + "??";
  }

  /** A word with {0}, {1}... filled in. */
  public String f(String key, Object... args) {
    String w = get(key);
    for (int i = 0; i < args.length; i++) {
      w = w.replace("{" + i + "}", String.valueOf(args[i]));
    }
    return w;
  }

  /** A key that may be missing, e.g. a state or category label, falling back to the raw value. */
  public String label(String prefix, String value) {
    if (value == null) {
      return get("none");
    }
    String w = words.get(prefix + "." + value);
    return w != null ? w : value;
  }

  /** A case's reason (priority or assessment) in this language. */
  public String reason(org.minewatch.attribution.assess.Reason r) {
    return org.minewatch.governance.cases.Reasons.text(
        r, lang.equals("zh") ? java.util.Locale.CHINESE : java.util.Locale.ROOT);
  }
}
