package org.minewatch.governance;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import org.minewatch.governance.cases.CaseState;

/**
 * What an administration configures: how long a case may stay in each state before it is overdue,
 * the default rectification deadline, and the quiet days before closing.
 *
 * <p>From a properties file: {@code deadline.STATE=DAYS} (e.g. {@code deadline.dispatched=5}),
 * {@code rectification.days=30}, {@code close.quiet-days=14}.
 */
public record Settings(Map<CaseState, Duration> deadlines, int rectificationDays, int quietDays) {

  public static Settings defaults() {
    Map<CaseState, Duration> d = new EnumMap<>(CaseState.class);
    d.put(CaseState.DETECTED, Duration.ofDays(3));
    d.put(CaseState.DISPATCHED, Duration.ofDays(5));
    d.put(CaseState.OWNERSHIP_VERIFIED, Duration.ofDays(7));
    d.put(CaseState.INSPECTED, Duration.ofDays(5));
    d.put(CaseState.DISPOSED, Duration.ofDays(10));
    d.put(CaseState.REOPENED, Duration.ofDays(3));
    return new Settings(Map.copyOf(d), 30, 14);
  }

  /** The deadline for a case entering {@code state}, or null where the state has none. */
  public Duration deadline(CaseState state) {
    if (state == CaseState.RECTIFYING) {
      return Duration.ofDays(rectificationDays);
    }
    if (state == CaseState.RECHECKED) {
      // A re-checked case is due to close once its quiet days have passed, and overdue a week
      // after.
      return Duration.ofDays(quietDays + 7L);
    }
    return deadlines.get(state);
  }

  public static Settings read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    Settings s = defaults();
    Map<CaseState, Duration> d = new EnumMap<>(s.deadlines());
    int rect = s.rectificationDays();
    int quiet = s.quietDays();
    for (String key : p.stringPropertyNames()) {
      String v = p.getProperty(key).strip();
      try {
        if (key.startsWith("deadline.")) {
          d.put(CaseState.parse(key.substring("deadline.".length())), Duration.ofDays(days(v)));
        } else if (key.equals("rectification.days")) {
          rect = days(v);
        } else if (key.equals("close.quiet-days")) {
          quiet = days(v);
        } else {
          throw new IllegalArgumentException(
              "unknown setting (deadline.STATE, rectification.days, close.quiet-days)");
        }
      } catch (IllegalArgumentException | DateTimeParseException e) {
        throw new IllegalArgumentException(file + ": " + key + "=" + v + ": " + e.getMessage(), e);
      }
    }
    return new Settings(Map.copyOf(d), rect, quiet);
  }

  private static int days(String v) {
    int n;
    try {
      n = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a whole number of days", e);
    }
    if (n < 0 || n > 3650) {
      throw new IllegalArgumentException("days must be 0 to 3650");
    }
    return n;
  }
}
