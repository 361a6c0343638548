package org.minewatch.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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

/**
 * Every role against every endpoint: a role outside the route's action gets 403 (and the refusal is
 * audited), a role inside it is never refused by the policy, no token gets 401, public routes need
 * none. The expected answer comes from the policy's own table, so a route whose declared action is
 * wrong, or a handler that forgets the check, shows here.
 */
class AuthorizationMatrixTest {
  static final String PASSWORD = "correct horse battery";
  @TempDir static Path dir;
  static Database db;
  static ApiServer server;
  static Http http;
  static final Map<Role, String> TOKENS = new EnumMap<>(Role.class);

  @BeforeAll
  static void start() {
    db = Database.embedded(dir);
    Governance g =
        new Governance(db, Clock.systemUTC(), Settings.defaults(), TariffPolicies.builtIn());
    for (Role r : Role.values()) {
      String token =
          g.addUser(
              User.SYSTEM,
              "u-" + r.label(),
              r,
              r == Role.REGIONAL_OFFICER ? "320000" : null,
              r == Role.UNIT_CONTACT ? CreditCode.withCheck("12320100MB0000012") : null,
              r == Role.SENSOR ? null : PASSWORD.toCharArray());
      if (token != null) {
        TOKENS.put(r, token);
      }
    }
    g.importRegistry(User.SYSTEM, DemoRegistry.csv(), "demo");
    server = ApiServer.start(g, "127.0.0.1", 0);
    http = new Http(server.port());
    for (Role r : Role.values()) {
      if (r != Role.SENSOR) {
        TOKENS.put(r, http.login("u-" + r.label(), PASSWORD));
      }
    }
  }

  @AfterAll
  static void stop() {
    server.close();
    db.close();
  }

  static String concrete(String path) {
    return path.replace("{id}", "1")
        .replace("{task}", "1")
        .replace("{code}", "1")
        .replace("{name}", "nobody");
  }

  @Test
  void everyRoleAgainstEveryEndpoint() {
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (Route route : server.routes()) {
      String path = concrete(route.path());
      String method = route.method().name();
      if (route.action() == null) {
        int s = http.send(method, path, null, "application/json", "{}".getBytes()).status();
        if (s == 401 || s == 403) {
          wrong.add(method + " " + route.path() + " is public but answered " + s);
        }
        continue;
      }
      int anonymous = http.send(method, path, null, "application/json", "{}".getBytes()).status();
      if (anonymous != 401) {
        wrong.add(method + " " + route.path() + " without a token: " + anonymous);
      }
      for (Role role : Role.values()) {
        if (route.action() == org.minewatch.governance.access.Action.SESSION
            && route.path().equals("/api/logout")) {
          continue; // would end the session the rest of the matrix uses
        }
        int s =
            http.send(method, path, TOKENS.get(role), "application/json", "{}".getBytes()).status();
        boolean allowed = Policy.may(new User(1, "x", role, "320000", "x", false), route.action());
        checked++;
        if (allowed && (s == 401 || s == 403)) {
          wrong.add(method + " " + route.path() + " refused " + role.label() + " (" + s + ")");
        }
        if (!allowed && s != 403) {
          wrong.add(method + " " + route.path() + " let " + role.label() + " through (" + s + ")");
        }
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(checked).isGreaterThan(25 * Role.values().length - 10);
  }

  @Test
  void aRefusalIsAudited() {
    String auditor = TOKENS.get(Role.AUDITOR);
    long before = http.get("/api/audit?limit=10000", auditor).json().size();
    assertThat(http.post("/api/findings", TOKENS.get(Role.GRID_COMPANY), "").status())
        .isEqualTo(403);
    var entries = http.get("/api/audit?limit=10000", auditor).json();
    assertThat(entries.size()).isEqualTo(before + 1);
    assertThat(entries.get(0).get("action").asText()).isEqualTo("denied");
    assertThat(entries.get(0).get("actor").asText()).isEqualTo("u-grid-company");
    assertThat(entries.get(0).get("subject").asText()).isEqualTo("POST /api/findings");
  }

  @Test
  void everyRouteIsInTheOpenApiDocument() {
    var doc = http.get("/api/openapi.json", null).json();
    for (Route r : server.routes()) {
      assertThat(doc.at("/paths").get(r.path())).as(r.path()).isNotNull();
      assertThat(doc.at("/paths").get(r.path()).get(r.method().name().toLowerCase()))
          .as(r.method() + " " + r.path())
          .isNotNull();
    }
  }

  @Test
  void securityHeadersOnEveryAnswer() {
    var r = http.get("/api/cases", null);
    assertThat(r.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(v -> assertThat(v).contains("default-src 'self'"));
    assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
  }
}
