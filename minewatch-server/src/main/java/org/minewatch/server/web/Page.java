package org.minewatch.server.web;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.minewatch.governance.access.Action;
import org.minewatch.governance.access.Policy;
import org.minewatch.governance.user.User;

/**
 * What every page template gets: the words, the signed-in user (or null), the CSRF token for its
 * forms, the current path (for the language switch) and a few formatting helpers.
 */
public record Page(Messages t, User user, String csrf, String path, String title) {
  public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZONE);
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZONE);

  public boolean may(Action a) {
    return user != null && Policy.may(user, a);
  }

  public String lang() {
    return t.lang();
  }

  public String time(Instant i) {
    return i == null ? "—" : TIME.format(i);
  }

  public String day(Instant i) {
    return i == null ? "—" : DAY.format(i);
  }

  public String number(double v) {
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }

  public String kwh(double[] k) {
    if (k == null) {
      return "—";
    }
    return number(k[1]) + " (" + number(k[0]) + "–" + number(k[2]) + ")";
  }

  public String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  /** The current path with the language switched: the switch link. */
  public String switchLanguage() {
    return "/lang?to="
        + t.other()
        + "&back="
        + java.net.URLEncoder.encode(path, java.nio.charset.StandardCharsets.UTF_8);
  }
}
