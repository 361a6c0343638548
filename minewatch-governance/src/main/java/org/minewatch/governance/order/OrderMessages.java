package org.minewatch.governance.order;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The text of the order documents and formulas in one language, from {@code messages_zh.properties}
 * or {@code messages_en.properties} (UTF-8). Placeholders are named, {@code {kwh}}, so a
 * translation may reorder them; values are filled in verbatim.
 */
public final class OrderMessages {
  /**
   * Times on the documents are China Standard Time whatever offset they arrive with (a JSON round
   * trip may turn them into UTC), so a re-rendered order shows the time it was issued.
   */
  public static final ZoneOffset CHINA_TIME = ZoneOffset.ofHours(8);

  private static final Map<String, OrderMessages> CACHE = new ConcurrentHashMap<>();

  private final String lang;
  private final Properties text;
  private final DateTimeFormatter date;
  private final DateTimeFormatter dateTime;

  private OrderMessages(String lang, Properties text) {
    this.lang = lang;
    this.text = text;
    Locale locale = "zh".equals(lang) ? Locale.SIMPLIFIED_CHINESE : Locale.ENGLISH;
    this.date = DateTimeFormatter.ofPattern(get("format.date"), locale);
    this.dateTime = DateTimeFormatter.ofPattern(get("format.datetime"), locale);
  }

  /**
   * The messages for "zh" or "en" (a region suffix such as "zh-CN" is accepted).
   *
   * @throws IllegalArgumentException for any other language
   */
  public static OrderMessages of(String lang) {
    String l = lang == null ? "" : lang.strip().toLowerCase(Locale.ROOT);
    String base =
        l.length() > 2 && (l.charAt(2) == '-' || l.charAt(2) == '_') ? l.substring(0, 2) : l;
    if (!base.equals("zh") && !base.equals("en")) {
      throw new IllegalArgumentException("lang: expected \"zh\" or \"en\", got \"" + lang + "\"");
    }
    return CACHE.computeIfAbsent(base, OrderMessages::load);
  }

  public static OrderMessages of(Locale locale) {
    return of(locale == null ? null : locale.getLanguage());
  }

  private static OrderMessages load(String lang) {
    String name = "messages_" + lang + ".properties";
    try (InputStream in = OrderMessages.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the class path");
      }
      Properties p = new Properties();
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      return new OrderMessages(lang, p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** "zh" or "en". */
  public String lang() {
    return lang;
  }

  /** The keys of the table, for checking that both languages have the same ones. */
  public java.util.Set<String> keys() {
    return text.stringPropertyNames();
  }

  /**
   * @throws IllegalStateException for a key the table lacks (a programming error)
   */
  public String get(String key) {
    String v = text.getProperty(key);
    if (v == null) {
      throw new IllegalStateException(
          "no message '" + key + "' in messages_" + lang + ".properties");
    }
    return v;
  }

  /** The message with {name} placeholders filled from name/value pairs. */
  public String fill(String key, String... namesAndValues) {
    String s = get(key);
    for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
      s = s.replace("{" + namesAndValues[i] + "}", namesAndValues[i + 1]);
    }
    return s;
  }

  public String date(LocalDate d) {
    return d == null ? "" : date.format(d);
  }

  /** In China Standard Time. */
  public String dateTime(OffsetDateTime t) {
    return t == null ? "" : dateTime.format(t.withOffsetSameInstant(CHINA_TIME));
  }

  /** The date in China Standard Time. */
  public String date(OffsetDateTime t) {
    return t == null ? "" : date.format(t.withOffsetSameInstant(CHINA_TIME));
  }

  public String dateTime(java.time.LocalDateTime t) {
    return t == null ? "" : dateTime.format(t);
  }

  /** Grouped, two decimals: "12,345.60", for kWh and yuan (the same in both languages). */
  public static String number(BigDecimal v) {
    return format(v, "#,##0.00");
  }

  /** A rate with at least two and at most four decimals: "1.00", "0.5383". */
  public static String rate(BigDecimal v) {
    return format(v, "#,##0.00##");
  }

  /** An estimate's kWh per day, two decimals. */
  public static String number(double v) {
    return number(BigDecimal.valueOf(v));
  }

  private static String format(BigDecimal v, String pattern) {
    DecimalFormat f = new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT));
    f.setRoundingMode(RoundingMode.HALF_UP);
    return f.format(v);
  }
}
