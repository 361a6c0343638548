package org.minewatch.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.attribution.registry.CreditCode;
import org.minewatch.attribution.registry.DemoRegistry;
import org.minewatch.governance.Governance;
import org.minewatch.governance.Settings;
import org.minewatch.governance.access.Policy;
import org.minewatch.governance.order.TariffPolicies;
import org.minewatch.governance.store.Database;
import org.minewatch.governance.user.Role;
import org.minewatch.governance.user.User;
import org.minewatch.server.web.PageRoute;

/**
 * The console's pages as {@link AuthorizationMatrixTest} walks the API: every page route against
 * every role signed in by its session cookie (403 exactly where the policy's table says no), every
 * protected page without a session (GET leads to the sign-in page, POST is refused), and every form
 * (POST) without its CSRF token, with a wrong one and with another session's: 403, whatever the
 * role, and nothing written but the audit trail. Plain HTTP, no browser: it runs where Chromium is
 * absent.
 */
class PageAuthorizationMatrixTest {
  static final String PASSWORD = "correct horse battery";
  @TempDir static Path dir;
  static Database db;
  static ApiServer server;
  static String base;
  static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final Map<Role, String> SESSIONS = new EnumMap<>(Role.class);
  static final Map<Role, String> CSRF = new EnumMap<>(Role.class);

  @BeforeAll
  static void start() throws Exception {
    db = Database.embedded(dir);
    Governance g =
        new Governance(db, Clock.systemUTC(), Settings.defaults(), TariffPolicies.builtIn());
    String sensor = null;
    for (Role r : Role.values()) {
      String t =
          g.addUser(
              User.SYSTEM,
              "u-" + r.label(),
              r,
              r == Role.REGIONAL_OFFICER ? "320000" : null,
              r == Role.UNIT_CONTACT ? CreditCode.withCheck("12320100MB0000012") : null,
              r == Role.SENSOR ? null : PASSWORD.toCharArray());
      if (t != null) {
        sensor = t;
      }
    }
    g.importRegistry(User.SYSTEM, DemoRegistry.csv(), "demo");
    g.ingest(
        g.authenticate(sensor).orElseThrow(),
        ApiTest.LINE + "\n"); // case 1: the university's, in Nanjing
    server = ApiServer.start(g, "127.0.0.1", 0);
    base = "http://127.0.0.1:" + server.port();
    Http http = new Http(server.port());
    SESSIONS.put(Role.SENSOR, sensor); // its API token: the policy lets it into no page
    for (Role r : Role.values()) {
      if (r != Role.SENSOR) {
        SESSIONS.put(r, http.login("u-" + r.label(), PASSWORD));
      }
      Matcher m =
          Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"")
              .matcher(get("/tipoff", SESSIONS.get(r)).body());
      assertThat(m.find()).isTrue();
      CSRF.put(r, m.group(1));
    }
  }

  @AfterAll
  static void stop() {
    server.close();
    db.close();
  }

  static HttpResponse<String> get(String path, String session) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (session != null) {
      b.header("Cookie", "mw_session=" + session + "; mw_lang=en");
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String path, String session, String csrf) throws Exception {
    String form =
        (csrf == null
                ? ""
                : "_csrf=" + java.net.URLEncoder.encode(csrf, StandardCharsets.UTF_8) + "&")
            + "note=matrix&to=dispatched&kind=summons&text=x&title=t&owner=o&action=reject&reason=r";
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    if (session != null) {
      b.header("Cookie", "mw_session=" + session + "; mw_lang=en");
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String concrete(String path) {
    return path.replace("{id}", "1").replace("{n}", "1");
  }

  /** Rows of the tables a form could change (the audit trail aside: refusals are audited). */
  static long rows() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "select (select count(*) from case_events) + (select count(*) "
                            + "from tasks) + (select count(*) from orders) + (select count(*) from attachments) + (select count(*) from "
                            + "tipoffs) + (select count(*) from alerts) + (select count(*) from tokens)")
                    .mapTo(Long.class)
                    .one());
  }

  static boolean skipped(PageRoute r) {
    return r.path().equals("/logout"); // would end the sessions the matrix uses
  }

  @Test
  void everyRoleAgainstEveryPage() throws Exception {
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (PageRoute r : server.pageRoutes()) {
      if (r.action() == null || skipped(r)) {
        continue;
      }
      for (Role role : Role.values()) {
        String path = concrete(r.path());
        int s =
            r.method().name().equals("GET")
                ? get(path, SESSIONS.get(role)).statusCode()
                : post(path, SESSIONS.get(role), CSRF.get(role)).statusCode();
        checked++;
        boolean allowed = Policy.may(new User(1, "x", role, "320000", "x", false), r.action());
        if (allowed
            && (s == 401
                || s == 403
                || s == 302
                    && r.method().name().equals("GET")
                    && location(path, role).startsWith("/login"))) {
          wrong.add(r.method() + " " + r.path() + " refused " + role.label() + " (" + s + ")");
        }
        if (!allowed && s != 403) {
          wrong.add(r.method() + " " + r.path() + " let " + role.label() + " through (" + s + ")");
        }
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(checked).isGreaterThan(15 * (Role.values().length));
  }

  static String location(String path, Role role) throws Exception {
    return get(path, SESSIONS.get(role)).headers().firstValue("Location").orElse("");
  }

  @Test
  void withoutASessionPagesLeadToSignInAndFormsAreRefused() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (PageRoute r : server.pageRoutes()) {
      if (r.action() == null) {
        continue;
      }
      String path = concrete(r.path());
      if (r.method().name().equals("GET")) {
        HttpResponse<String> g = get(path, null);
        String to = g.headers().firstValue("Location").orElse("");
        if (g.statusCode() != 302 || !to.startsWith("/login?next=")) {
          wrong.add("GET " + r.path() + " without a session: " + g.statusCode() + " " + to);
        }
      } else {
        int s = post(path, null, null).statusCode();
        if (s != 403 && s != 401) {
          wrong.add("POST " + r.path() + " without a session: " + s);
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void everyFormWithoutItsTokenOrWithAnotherIsRefusedAndChangesNothing() throws Exception {
    List<String> wrong = new ArrayList<>();
    long before = rows();
    for (PageRoute r : server.pageRoutes()) {
      if (!r.method().name().equals("POST")) {
        continue;
      }
      String path = concrete(r.path());
      String admin = SESSIONS.get(Role.PROVINCE_ADMIN);
      Map<String, HttpResponse<String>> tries =
          Map.of(
              "no token", post(path, admin, null),
              "a wrong token", post(path, admin, "A".repeat(43)),
              "another session's token", post(path, admin, CSRF.get(Role.AUDITOR)),
              "an empty token", post(path, admin, ""));
      for (var t : tries.entrySet()) {
        if (t.getValue().statusCode() != 403
            || !t.getValue().body().contains("did not come from this site")) {
          wrong.add("POST " + r.path() + " with " + t.getKey() + ": " + t.getValue().statusCode());
        }
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(rows()).isEqualTo(before);
    // The sessions still work: the refusals ended none of them.
    assertThat(get("/cases", SESSIONS.get(Role.PROVINCE_ADMIN)).statusCode()).isEqualTo(200);
  }
}
