package org.minewatch.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.minewatch.attribution.registry.CreditCode;
import org.minewatch.attribution.registry.DemoRegistry;
import org.minewatch.governance.Governance;
import org.minewatch.governance.Settings;
import org.minewatch.governance.access.Action;
import org.minewatch.governance.access.Policy;
import org.minewatch.governance.order.TariffPolicies;
import org.minewatch.governance.store.Database;
import org.minewatch.governance.user.Role;
import org.minewatch.governance.user.User;
import org.minewatch.testkit.MutableClock;
import org.minewatch.testkit.PostgresServer;

/**
 * Hostile values in every parameter of every route, the JSON API's and the pages' alike: SQL
 * metacharacters and classic payloads, very long values, NUL, invalid UTF-8, CR/LF where a value
 * could reach a header (redirects, file names), {@code ../} and absolute paths, URL-encoded or not.
 * Each answer must be a 2xx/3xx (the value taken as the text it is) or a 4xx with a one-line
 * message; never a 5xx, a stack trace or SQL in the body, an injected header or a redirect off the
 * site. A refused write leaves every table's row count as it was (the audit trail aside: refusals
 * are audited), no file appears or changes beside the store, and the audit chain still verifies.
 *
 * <p>The parameters of each route are listed in {@link #INPUTS}, and the test fails for a route of
 * the server's tables that has no entry: a new route must say what it takes.
 */
class InjectionTest {
  static final String PASSWORD = "correct horse battery";
  static final String CANARY = "canary: this file must never be read or written through the server";

  /** The values sent in each parameter in turn. */
  static final List<String> PAYLOADS =
      List.of(
          "' OR 1=1 --",
          "1' OR '1'='1",
          "\"; DROP TABLE cases; --",
          "1; DROP TABLE users",
          "1 UNION SELECT name, password_hash FROM users --",
          "') UNION SELECT token_hash FROM tokens --",
          "%_%",
          "\\",
          "-1",
          "99999999999999999999999",
          "1e309",
          "A".repeat(20_000),
          "nul\u0000byte",
          "x\r\nX-Injected: 1\r\nSet-Cookie: injected=1",
          "/\t/evil.example/",
          "//evil.example/",
          "/\\evil.example",
          "../../../../../../etc/passwd",
          "..%2F..%2F..%2Fetc%2Fpasswd",
          "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
          "/etc/passwd",
          "..\\..\\..\\windows\\win.ini",
          "<script>alert(1)</script>");

  /** Invalid UTF-8, sent as raw bytes (in a URL percent-encoded). */
  static final byte[] INVALID_UTF8 = {'x', (byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, 'y'};

  static final String INVALID_UTF8_MARK = "\u0001invalid-utf8\u0001";

  /** Where a parameter goes. */
  enum In {
    PATH,
    QUERY,
    JSON,
    FORM,
    MULTIPART_FILE_NAME,
    FINDING_FIELD,
    RAW_BODY
  }

  record Input(In in, String name) {}

  static Input path(String n) {
    return new Input(In.PATH, n);
  }

  static Input query(String n) {
    return new Input(In.QUERY, n);
  }

  static Input json(String n) {
    return new Input(In.JSON, n);
  }

  static Input form(String n) {
    return new Input(In.FORM, n);
  }

  static final List<Input> CASE_FILTERS =
      Stream.of(
              "status",
              "region",
              "priority",
              "unit",
              "category",
              "coin",
              "algorithm",
              "operation",
              "overdue",
              "sort",
              "page",
              "size")
          .map(InjectionTest::query)
          .toList();

  /** Every route's parameters, by "METHOD path" as the route tables declare them. */
  static final Map<String, List<Input>> INPUTS = new LinkedHashMap<>();

  static {
    INPUTS.put("GET /health", List.of());
    INPUTS.put("GET /api/openapi.json", List.of());
    INPUTS.put("POST /api/login", List.of(json("user"), json("password")));
    INPUTS.put("POST /api/logout", List.of());
    INPUTS.put("GET /api/me", List.of());
    INPUTS.put(
        "POST /api/findings",
        List.of(
            new Input(In.FINDING_FIELD, "host"),
            new Input(In.FINDING_FIELD, "coin"),
            new Input(In.FINDING_FIELD, "protocol"),
            new Input(In.FINDING_FIELD, "login"),
            new Input(In.FINDING_FIELD, "worker"),
            new Input(In.FINDING_FIELD, "first_seen"),
            new Input(In.RAW_BODY, "lines")));
    INPUTS.put("POST /api/registry", List.of(query("source"), new Input(In.RAW_BODY, "registry")));
    INPUTS.put("GET /api/cases", CASE_FILTERS);
    INPUTS.put("GET /api/cases/export", concat(List.of(query("format")), CASE_FILTERS));
    INPUTS.put("GET /api/cases/{id}", List.of(path("id")));
    INPUTS.put(
        "POST /api/cases/{id}/transitions",
        List.of(path("id"), json("to"), json("note"), json("deadline_days")));
    INPUTS.put(
        "POST /api/cases/{id}/tasks",
        List.of(path("id"), json("title"), json("owner"), json("deadline")));
    INPUTS.put("POST /api/cases/{id}/tasks/{task}/done", List.of(path("id"), path("task")));
    INPUTS.put("POST /api/cases/{id}/reports", List.of(path("id"), json("kind"), json("text")));
    INPUTS.put(
        "POST /api/cases/{id}/attachments",
        List.of(path("id"), query("name"), new Input(In.RAW_BODY, "file")));
    INPUTS.put("GET /api/attachments/{id}", List.of(path("id")));
    INPUTS.put(
        "POST /api/cases/{id}/orders",
        List.of(
            path("id"),
            json("kind"),
            json("policy"),
            json("metered_kwh"),
            json("start"),
            json("grid_company"),
            json("at"),
            json("place")));
    INPUTS.put("POST /api/orders/{id}/execution", List.of(path("id"), json("note")));
    INPUTS.put(
        "GET /api/orders/{id}/document", List.of(path("id"), query("format"), query("lang")));
    INPUTS.put("GET /api/tariff-policies", List.of());
    INPUTS.put("GET /api/alerts", List.of());
    INPUTS.put("POST /api/alerts/{id}/acknowledge", List.of(path("id")));
    INPUTS.put(
        "POST /api/tipoffs",
        List.of(
            json("category"), json("address"), json("unit"), json("description"), json("contact")));
    INPUTS.put("GET /api/tipoffs/{code}", List.of(path("code")));
    INPUTS.put("GET /api/tipoffs", List.of());
    INPUTS.put(
        "POST /api/tipoffs/{code}/triage",
        List.of(path("code"), json("action"), json("reason"), json("region")));
    INPUTS.put("GET /api/stats", List.of(query("format")));
    INPUTS.put("GET /api/inventory", List.of(query("format")));
    INPUTS.put("GET /api/audit/verify", List.of());
    INPUTS.put("GET /api/audit", List.of(query("limit")));
    INPUTS.put("GET /api/users", List.of());
    INPUTS.put(
        "POST /api/users",
        List.of(json("name"), json("role"), json("region"), json("unit"), json("password")));
    INPUTS.put("POST /api/users/{name}/disable", List.of(path("name")));
    // The pages.
    INPUTS.put("GET /login", List.of(query("next")));
    INPUTS.put("POST /login", List.of(form("user"), form("password"), form("next")));
    INPUTS.put("POST /logout", List.of());
    INPUTS.put("GET /lang", List.of(query("to"), query("back")));
    INPUTS.put("GET /", List.of());
    INPUTS.put("GET /cases", CASE_FILTERS);
    INPUTS.put("GET /cases/export", concat(List.of(query("format")), CASE_FILTERS));
    INPUTS.put("GET /cases/{id}", List.of(path("id")));
    INPUTS.put(
        "POST /cases/{id}/transition",
        List.of(path("id"), form("to"), form("note"), form("devices"), form("deadline_days")));
    INPUTS.put(
        "POST /cases/{id}/tasks",
        List.of(path("id"), form("title"), form("owner"), form("deadline")));
    INPUTS.put("POST /cases/{id}/reports", List.of(path("id"), form("kind"), form("text")));
    INPUTS.put(
        "POST /cases/{id}/orders",
        List.of(
            path("id"),
            form("kind"),
            form("policy"),
            form("metered_kwh"),
            form("start"),
            form("at"),
            form("attendees")));
    INPUTS.put(
        "POST /cases/{id}/attachments",
        List.of(path("id"), new Input(In.MULTIPART_FILE_NAME, "file")));
    INPUTS.put("POST /orders/{id}/execution", List.of(path("id"), form("note"), form("case")));
    INPUTS.put("GET /orders/{id}/document", List.of(path("id"), query("format")));
    INPUTS.put("GET /attachments/{id}", List.of(path("id")));
    INPUTS.put("POST /alerts/{id}/acknowledge", List.of(path("id"), form("case")));
    INPUTS.put("GET /dashboard", List.of(query("region"), query("lang")));
    INPUTS.put("GET /tipoff", List.of(query("lang")));
    INPUTS.put(
        "POST /tipoff",
        List.of(
            form("category"), form("address"), form("unit"), form("description"), form("contact")));
    INPUTS.put("GET /tipoff/status", List.of(query("code")));
    INPUTS.put("GET /tipoffs", List.of(query("status")));
    INPUTS.put(
        "POST /tipoffs/{id}/triage",
        List.of(path("id"), form("action"), form("case"), form("reason"), form("region")));
    INPUTS.put("GET /tipoffs/{id}/attachments/{n}", List.of(path("id"), path("n")));
    // Registered beside the tables: the charting library's files, by name.
    INPUTS.put("GET /assets/uplot/{file}", List.of(path("file")));
  }

  /** The valid value of each parameter, so that a request reaches the one under attack. */
  static final Map<String, String> VALID =
      new TreeMap<>(
          Map.ofEntries(
              Map.entry("id", "1"),
              Map.entry("task", "1"),
              Map.entry("code", "1"),
              Map.entry("name", "nobody"),
              Map.entry("n", "1"),
              Map.entry("file", "uPlot.min.css"),
              Map.entry("user", "target"),
              Map.entry("password", PASSWORD),
              Map.entry("to", "dispatched"),
              Map.entry("note", "a note"),
              Map.entry("title", "visit"),
              Map.entry("owner", "li.wei"),
              Map.entry("deadline", "2027-01-01T00:00:00Z"),
              Map.entry("kind", "summons"),
              Map.entry("text", "done"),
              Map.entry("category", "hidden-mining"),
              Map.entry("address", "somewhere"),
              Map.entry("description", "noise at night"),
              Map.entry("action", "reject"),
              Map.entry("reason", "nothing there"),
              Map.entry("role", "auditor"),
              Map.entry("format", "json"),
              Map.entry("source", "test"),
              Map.entry("at", "2027-03-05T10:00"),
              Map.entry("place", "room 1")));

  enum Store {
    H2,
    POSTGRES
  }

  @TempDir Path dir;
  final MutableClock clock = new MutableClock(java.time.Instant.parse("2026-03-02T02:00:00Z"));
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final Map<Role, String> tokens = new java.util.EnumMap<>(Role.class);
  Database db;
  ApiServer server;
  Http http;
  String base;
  String session;
  String sessionCsrf;
  final List<String> wrong = new ArrayList<>();

  static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void everyParameterOfEveryRouteTakesHostileValuesSafely(Store store) throws Exception {
    Path data = dir.resolve("store");
    if (store == Store.H2) {
      db = Database.embedded(data);
    } else {
      assumeTrue(PostgresServer.available(), PostgresServer::unavailableReason);
      PostgresServer pg = PostgresServer.instance();
      db = Database.open(pg.createDatabase(), pg.user(), pg.password());
    }
    Path canary = dir.resolve("canary.txt");
    Files.writeString(canary, CANARY);
    try {
      Governance g = new Governance(db, clock, Settings.defaults(), TariffPolicies.builtIn());
      g.importRegistry(User.SYSTEM, DemoRegistry.csv(), "demo");
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
          tokens.put(r, t);
        }
      }
      g.addUser(User.SYSTEM, "target", Role.AUDITOR, null, null, PASSWORD.toCharArray());
      server = ApiServer.start(g, "127.0.0.1", 0);
      base = "http://127.0.0.1:" + server.port();
      http = new Http(server.port());
      // One case (the university's), an attachment and a tip-off to aim at.
      assertThat(
              http.send(
                      "POST",
                      "/api/findings",
                      tokens.get(Role.SENSOR),
                      "application/x-ndjson",
                      (ApiTest.LINE + "\n").getBytes(StandardCharsets.UTF_8))
                  .status())
          .isEqualTo(200);
      refreshTokens();
      signIn();
      assertThat(
              http.send(
                      "POST",
                      "/api/cases/1/attachments?name=a.txt",
                      tokens.get(Role.PROVINCE_ADMIN),
                      "text/plain",
                      "hello".getBytes(StandardCharsets.UTF_8))
                  .status())
          .isEqualTo(201);
      assertThat(
              http.post(
                      "/api/tipoffs",
                      null,
                      Map.of("category", "hidden-mining", "address", "x", "description", "y"))
                  .status())
          .isEqualTo(201);
      Set<String> filesBefore = files(dir);

      Set<String> declared = new TreeSet<>();
      for (Route r : server.routes()) {
        declared.add(r.method().name() + " " + r.path());
      }
      for (var r : server.pageRoutes()) {
        declared.add(r.method().name() + " " + r.path());
      }
      declared.add("GET /assets/uplot/{file}");
      assertThat(INPUTS.keySet())
          .as("routes without an entry in INPUTS, or entries for routes that are gone")
          .containsExactlyInAnyOrderElementsOf(declared);

      int sent = 0;
      java.time.Instant signedIn = clock.instant();
      for (var e : INPUTS.entrySet()) {
        String method = e.getKey().substring(0, e.getKey().indexOf(' '));
        String route = e.getKey().substring(e.getKey().indexOf(' ') + 1);
        for (Input input : e.getValue()) {
          // A fresh budget for each parameter: the tip-off limit and the login lock-out reset,
          // sessions renewed.
          clock.advance(Duration.ofMinutes(16));
          if (Duration.between(signedIn, clock.instant()).toHours() >= 11) {
            refreshTokens();
            signIn();
            signedIn = clock.instant();
          }
          for (String payload : concat(PAYLOADS, List.of(INVALID_UTF8_MARK))) {
            attack(method, route, e.getValue(), input, payload);
            sent++;
          }
        }
      }
      // Static files: traversal out of the assets.
      for (String p :
          List.of(
              "/assets/../../../../etc/passwd",
              "/assets/%2e%2e/%2e%2e/etc/passwd",
              "/assets/..%2f..%2fetc%2fpasswd",
              "/assets/%252e%252e%252fetc%252fpasswd",
              "/assets/uplot/..%2f..%2fpom.xml",
              "/assets/app.css%00.html",
              "/assets/" + canary.toAbsolutePath(),
              "/api/attachments/../../../../etc/passwd",
              "/api/attachments/..%2f..%2f..%2fetc%2fpasswd",
              "/attachments/%2e%2e%2f%2e%2e%2fcanary.txt",
              "/tipoffs/1/attachments/..%2f..%2fcanary.txt")) {
        check(
            "GET " + p,
            p,
            send(
                "GET",
                p,
                p.startsWith("/api/") ? tokens.get(Role.PROVINCE_ADMIN) : null,
                null,
                null));
        sent++;
      }

      assertThat(wrong).as(sent + " requests sent").isEmpty();
      assertThat(files(dir)).as("files beside the store").isEqualTo(filesBefore);
      assertThat(Files.readString(canary)).isEqualTo(CANARY);
      assertThat(
              http.get("/api/audit/verify", tokens.get(Role.AUDITOR))
                  .json()
                  .get("intact")
                  .asBoolean())
          .isTrue();
      assertThat(counts())
          .containsKeys("users", "cases", "findings", "tokens", "attachments", "tipoffs");
    } finally {
      if (server != null) {
        server.close();
      }
      db.close();
    }
  }

  /** Sessions for every role but the sensor (whose API token never expires), through the API. */
  private void refreshTokens() {
    for (Role r : Role.values()) {
      if (r != Role.SENSOR) {
        tokens.put(r, http.login("u-" + r.label(), PASSWORD));
      }
    }
  }

  /** A page session of the province administrator, and the CSRF token its forms carry. */
  private void signIn() throws Exception {
    String admin = http.login("u-" + Role.PROVINCE_ADMIN.label(), PASSWORD);
    session = admin;
    HttpResponse<String> page =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/cases/1"))
                .header("Cookie", "mw_session=" + session)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body());
    assertThat(m.find()).as("a form on the case page: " + page.statusCode()).isTrue();
    sessionCsrf = m.group(1);
  }

  /**
   * The role that may call a route: the province administrator where it may, else the first that
   * may.
   */
  private String tokenFor(String method, String route) {
    Action a = null;
    for (Route r : server.routes()) {
      if (r.path().equals(route) && r.method().name().equals(method)) {
        a = r.action();
      }
    }
    if (a == null) {
      return null;
    }
    for (Role r :
        List.of(
            Role.PROVINCE_ADMIN,
            Role.ENERGY_REGULATOR,
            Role.GRID_COMPANY,
            Role.UNIT_CONTACT,
            Role.SENSOR)) {
      if (Policy.may(new User(1, "x", r, null, "x", false), a)) {
        return tokens.get(r);
      }
    }
    throw new AssertionError("no role may " + method + " " + route);
  }

  private void attack(String method, String route, List<Input> inputs, Input target, String payload)
      throws Exception {
    String path = route;
    StringBuilder query = new StringBuilder();
    Map<String, String> fields = new LinkedHashMap<>();
    for (Input i : inputs) {
      String value = i.equals(target) ? payload : VALID.getOrDefault(i.name(), "x");
      switch (i.in()) {
        case PATH -> path = path.replace("{" + i.name() + "}", urlEncode(value));
        case QUERY -> {
          if (i.equals(target)) {
            query
                .append(query.isEmpty() ? "?" : "&")
                .append(i.name())
                .append('=')
                .append(urlEncode(value));
          }
        }
        case JSON, FORM -> fields.put(i.name(), value);
        default -> {}
      }
    }
    boolean api = route.startsWith("/api/") || route.equals("/health");
    String url = path + query;
    byte[] body = null;
    String type = null;
    if (method.equals("POST")) {
      switch (target.in()) {
        case FINDING_FIELD -> {
          ObjectNode line = (ObjectNode) Http.JSON.readTree(ApiTest.LINE);
          line.put(target.name(), "@@P@@");
          body = splice(Http.JSON.writeValueAsBytes(line), payload);
          type = "application/x-ndjson";
        }
        case RAW_BODY -> {
          body = raw(payload);
          type = target.name().equals("file") ? "text/plain" : "text/plain; charset=utf-8";
        }
        case MULTIPART_FILE_NAME -> {
          String boundary = "----mw-injection";
          ByteArrayOutputStream b = new ByteArrayOutputStream();
          b.writeBytes(
              ("--"
                      + boundary
                      + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n"
                      + sessionCsrf
                      + "\r\n--"
                      + boundary
                      + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
                  .getBytes(StandardCharsets.UTF_8));
          b.writeBytes(raw(payload.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A")));
          b.writeBytes(
              ("\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--" + boundary + "--\r\n")
                  .getBytes(StandardCharsets.UTF_8));
          body = b.toByteArray();
          type = "multipart/form-data; boundary=" + boundary;
        }
        default -> {
          if (api) {
            Map<String, Object> json = new LinkedHashMap<>();
            fields.forEach((k, v) -> json.put(k, k.equals(target.name()) ? "@@P@@" : v));
            body = splice(Http.JSON.writeValueAsBytes(json), payload);
            type = "application/json";
          } else {
            StringBuilder f = new StringBuilder("_csrf=").append(urlEncode(sessionCsrf));
            fields.forEach((k, v) -> f.append('&').append(k).append('=').append(urlEncode(v)));
            body = f.toString().getBytes(StandardCharsets.US_ASCII);
            type = "application/x-www-form-urlencoded";
          }
        }
      }
    }
    String token = api ? tokenFor(method, route) : null;
    String what =
        method + " " + route + " " + target.in() + " " + target.name() + "=" + shown(payload);
    Map<String, Long> before = method.equals("POST") ? counts() : null;
    HttpResponse<byte[]> r;
    try {
      r = send(method, url, token, type, body);
    } catch (java.io.IOException e) {
      // The server closes a connection after a refusal that left the body unread (429, 401); the
      // client may have
      // sent this request on it before it saw the close. A second try goes on a new connection.
      try {
        r = send(method, url, token, type, body);
      } catch (java.io.IOException again) {
        wrong.add(what + ": no answer (" + again.getMessage() + ")");
        return;
      }
    }
    check(what, payload, r);
    if (before != null && r.statusCode() >= 400) {
      Map<String, Long> after = counts();
      if (!after.equals(before)) {
        wrong.add(
            what
                + ": refused with "
                + r.statusCode()
                + " but rows changed: "
                + before
                + " -> "
                + after);
      }
    }
  }

  private HttpResponse<byte[]> send(
      String method, String url, String token, String type, byte[] body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + url))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    } else {
      b.header("Cookie", "mw_session=" + session);
    }
    if (type != null) {
      b.header("Content-Type", type);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static final List<String> LEAKS =
      List.of(
          "Exception",
          "\tat ",
          "at org.",
          "at java.",
          "org.h2",
          "JdbcSQL",
          "org.postgresql",
          "PSQL",
          "SQLState",
          "SQL statement",
          "syntax error",
          "jdbi",
          "root:x:0:0",
          CANARY);

  private void check(String what, String payload, HttpResponse<byte[]> r) {
    int s = r.statusCode();
    String text = new String(r.body(), StandardCharsets.UTF_8).replace(payload, "");
    if (s >= 500) {
      wrong.add(what + ": " + s + " " + text.substring(0, Math.min(200, text.length())));
    }
    for (String leak : LEAKS) {
      if (text.contains(leak) && !payload.contains(leak)) {
        wrong.add(what + ": the body shows \"" + leak + "\"");
      }
    }
    if (s >= 400
        && r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
      try {
        String error = Http.JSON.readTree(r.body()).path("error").asText("");
        if (error.isEmpty() || error.contains("\n") || error.contains("\r")) {
          wrong.add(what + ": " + s + " without a one-line error: " + shown(error));
        }
      } catch (java.io.IOException e) {
        wrong.add(what + ": " + s + " with a body that is not JSON");
      }
    }
    r.headers()
        .map()
        .forEach(
            (name, values) -> {
              if (name.equalsIgnoreCase("X-Injected")) {
                wrong.add(what + ": an injected header");
              }
              for (String v : values) {
                if (v.contains("injected=1")) {
                  wrong.add(what + ": an injected value in " + name + ": " + v);
                }
              }
            });
    r.headers()
        .firstValue("Location")
        .ifPresent(
            loc -> {
              // Browsers drop tabs and line breaks from a URL before resolving it.
              String resolved = loc.replaceAll("[\\t\\r\\n]", "");
              if (!resolved.startsWith("/")
                  || resolved.startsWith("//")
                  || resolved.startsWith("/\\")) {
                wrong.add(what + ": redirects off the site to " + shown(loc));
              }
            });
  }

  /** Rows of every table but the audit trail (refusals are audited: that is a write by design). */
  private Map<String, Long> counts() {
    Map<String, Long> c = new TreeMap<>();
    db.jdbi()
        .useHandle(
            h -> {
              for (String t :
                  List.of(
                      "registry_imports",
                      "units",
                      "unit_ranges",
                      "cases",
                      "findings",
                      "case_hosts",
                      "case_events",
                      "case_links",
                      "tasks",
                      "orders",
                      "tipoffs",
                      "attachments",
                      "alerts",
                      "users",
                      "tokens",
                      "counters")) {
                c.put(t, h.createQuery("select count(*) from " + t).mapTo(Long.class).one());
              }
            });
    return c;
  }

  private static Set<String> files(Path root) throws java.io.IOException {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .filter(n -> !n.startsWith("store/"))
          .forEach(names::add);
    }
    return names;
  }

  /** The payload's bytes: UTF-8, or the invalid sequence. */
  private static byte[] raw(String payload) {
    return payload.equals(INVALID_UTF8_MARK)
        ? INVALID_UTF8.clone()
        : payload.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Replaces the "@@P@@" placeholder of serialised JSON with the payload, escaped as JSON (invalid
   * UTF-8 raw).
   */
  private static byte[] splice(byte[] json, String payload) throws Exception {
    byte[] value;
    if (payload.equals(INVALID_UTF8_MARK)) {
      value = INVALID_UTF8.clone();
    } else {
      String quoted = Http.JSON.writeValueAsString(payload);
      value = quoted.substring(1, quoted.length() - 1).getBytes(StandardCharsets.UTF_8);
    }
    String s = new String(json, StandardCharsets.ISO_8859_1);
    int at = s.indexOf("@@P@@");
    if (at < 0) {
      return json; // the payload goes elsewhere (the path)
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(json, 0, at);
    out.writeBytes(value);
    out.write(json, at + 5, json.length - at - 5);
    return out.toByteArray();
  }

  private static String urlEncode(String value) {
    if (value.equals(INVALID_UTF8_MARK)) {
      StringBuilder b = new StringBuilder();
      for (byte x : INVALID_UTF8) {
        b.append(String.format("%%%02X", x & 0xff));
      }
      return b.toString();
    }
    return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String shown(String payload) {
    String s = payload.equals(INVALID_UTF8_MARK) ? "<invalid UTF-8>" : payload;
    s = s.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t").replace("\u0000", "\\0");
    return s.length() > 60 ? s.substring(0, 40) + "...(" + s.length() + " chars)" : s;
  }
}
