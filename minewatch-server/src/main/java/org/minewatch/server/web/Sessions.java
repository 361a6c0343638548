package org.minewatch.server.web;

import io.javalin.http.Context;
import java.time.Duration;

/** The browser's cookies: the session token, the language and the pre-session CSRF value. */
final class Sessions {
  static final String SESSION = "mw_session";
  static final String LANG = "mw_lang";
  static final String CSRF = "mw_csrf";

  private Sessions() {}

  static void set(Context ctx, String name, String value, Duration maxAge, boolean httpOnly) {
    StringBuilder c =
        new StringBuilder(name).append('=').append(value).append("; Path=/; SameSite=Strict");
    if (maxAge != null) {
      c.append("; Max-Age=").append(maxAge.toSeconds());
    }
    if (httpOnly) {
      c.append("; HttpOnly");
    }
    if (secure(ctx)) {
      c.append("; Secure");
    }
    ctx.res().addHeader("Set-Cookie", c.toString());
  }

  static void clear(Context ctx, String name) {
    ctx.res()
        .addHeader(
            "Set-Cookie",
            name
                + "=; Path=/; Max-Age=0; SameSite=Strict; HttpOnly"
                + (secure(ctx) ? "; Secure" : ""));
  }

  static boolean secure(Context ctx) {
    return "https".equals(ctx.scheme());
  }
}
