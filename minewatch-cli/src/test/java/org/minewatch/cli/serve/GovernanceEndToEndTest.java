package org.minewatch.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.minewatch.attribution.registry.CreditCode;
import org.minewatch.cli.MineWatch;
import org.minewatch.governance.Governance;
import org.minewatch.governance.Settings;
import org.minewatch.governance.order.TariffPolicies;
import org.minewatch.governance.store.Database;
import org.minewatch.governance.user.Role;
import org.minewatch.governance.user.User;
import org.minewatch.server.ApiServer;
import org.minewatch.testkit.MutableClock;
import org.minewatch.testkit.PcapRedate;
import org.minewatch.testkit.PostgresServer;

/**
 * The regulator's system end to end, on H2 and on PostgreSQL: real captures scanned by the command
 * line, findings pushed to a server on a random port, the registry imported, a case walked through
 * every state by the roles that may (and refused to those that may not), a price order whose amount
 * the test recomputes, the host re-detected after rectification (the capture re-dated to "now")
 * reopening the case, a tip-off filed and followed by its code, and the audit chain verified.
 */
class GovernanceEndToEndTest {
  static final Path SHARED = Path.of("..", "..", "shared").toAbsolutePath().normalize();
  static final Path MINER = SHARED.resolve("corpus/real-miners/mining/xmrig_rx0_tcp3333_180s.pcap");
  static final Path NDPI = SHARED.resolve("corpus/ndpi/mining/mining.pcapng");
  static final String PASSWORD = "correct horse battery";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  final HttpClient client = HttpClient.newHttpClient();
  String base;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgresql"})
  void aFindingCarriedToClosure(String kind) throws Exception {
    assumeTrue(
        Files.isRegularFile(MINER) && Files.isRegularFile(NDPI),
        "../shared/corpus (real-miners and ndpi) is absent: this end-to-end test needs its real captures");
    Database db;
    if (kind.equals("h2")) {
      db = Database.embedded(dir.resolve("data"));
    } else {
      assumeTrue(PostgresServer.available(), PostgresServer::unavailableReason);
      PostgresServer pg = PostgresServer.instance();
      db = Database.open(pg.createDatabase(), pg.user(), pg.password());
    }
    MutableClock clock = new MutableClock(Instant.parse("2027-03-01T02:00:00Z"));
    Governance g = new Governance(db, clock, Settings.defaults(), TariffPolicies.builtIn());
    String sensor = g.addUser(User.SYSTEM, "sensor-1", Role.SENSOR, null, null, null);
    g.addUser(User.SYSTEM, "admin", Role.PROVINCE_ADMIN, null, null, PASSWORD.toCharArray());
    g.addUser(User.SYSTEM, "hohhot", Role.REGIONAL_OFFICER, "150100", null, PASSWORD.toCharArray());
    g.addUser(
        User.SYSTEM, "nanjing", Role.REGIONAL_OFFICER, "320100", null, PASSWORD.toCharArray());
    g.addUser(User.SYSTEM, "regulator", Role.ENERGY_REGULATOR, null, null, PASSWORD.toCharArray());
    g.addUser(User.SYSTEM, "grid", Role.GRID_COMPANY, null, null, PASSWORD.toCharArray());
    g.addUser(User.SYSTEM, "auditor", Role.AUDITOR, null, null, PASSWORD.toCharArray());
    String minerCode = CreditCode.withCheck("91150100MA0000001");
    g.addUser(User.SYSTEM, "contact", Role.UNIT_CONTACT, null, minerCode, PASSWORD.toCharArray());
    try (ApiServer server = ApiServer.start(g, "127.0.0.1", 0)) {
      base = "http://127.0.0.1:" + server.port();

      // Scan the real captures with the command line and push the findings as a sensor does.
      Path findings = dir.resolve("findings.jsonl");
      assertThat(
              MineWatch.run(
                  "scan",
                  "-q",
                  "-f",
                  "jsonl",
                  "-o",
                  findings.toString(),
                  MINER.toString(),
                  NDPI.toString()))
          .isZero();
      List<JsonNode> lines = jsonLines(findings);
      List<String> miners =
          lines.stream()
              .filter(
                  l ->
                      l.get("role").asText().equals("miner")
                          && l.get("verdict").asText().equals("mining"))
              .map(l -> l.get("host").asText())
              .distinct()
              .toList();
      String xmrig =
          lines.stream()
              .filter(
                  l ->
                      "stratum-xmr".equals(l.path("protocol").asText())
                          && l.path("agent").asText().startsWith("XMRig/6.26"))
              .map(l -> l.get("host").asText())
              .findFirst()
              .orElseThrow();
      assertThat(miners).contains(xmrig).hasSizeGreaterThanOrEqualTo(4);

      // The registry, imported through the command line: the XMRig host's /32 is an Inner Mongolian
      // state-owned firm, the other miners' addresses a Nanjing university.
      String admin = login("admin");
      StringBuilder registry =
          new StringBuilder("range,unit,code,category,region_code,region,address,contact\n");
      registry
          .append(xmrig)
          .append(",示例能源有限公司 (Example Energy Co.),")
          .append(minerCode)
          .append(",soe,150100,呼和浩特市,呼和浩特市示例路1号,ops@example-energy.cn\n");
      String uni = CreditCode.withCheck("12320100MB0000012");
      for (String m : miners) {
        if (!m.equals(xmrig)) {
          registry
              .append(m)
              .append(",示例大学 (Example University),")
              .append(uni)
              .append(",university,320100,南京市,南京市鼓楼区示例路22号,net@example.edu.cn\n");
        }
      }
      Path registryFile = dir.resolve("registry.csv");
      Files.writeString(registryFile, registry);
      assertThat(
              MineWatch.run(
                  "registry",
                  "import",
                  registryFile.toString(),
                  "--server",
                  base,
                  "--token",
                  admin))
          .isZero();
      assertThat(
              MineWatch.run(
                  "push",
                  findings.toString(),
                  "--server",
                  base,
                  "--token",
                  sensor,
                  "--spool",
                  dir.resolve("spool").toString()))
          .isZero();
      // Pushed again: nothing changes.
      String auditor = login("auditor");
      long auditBefore = get("/api/audit?limit=10000", auditor).size();
      assertThat(
              MineWatch.run(
                  "push",
                  findings.toString(),
                  "--server",
                  base,
                  "--token",
                  sensor,
                  "--spool",
                  dir.resolve("spool").toString()))
          .isZero();
      assertThat(get("/api/audit?limit=10000", auditor).size()).isEqualTo(auditBefore);

      JsonNode cases = get("/api/cases", admin);
      assertThat(cases.get("total").asInt()).isEqualTo(2);
      JsonNode energy = find(cases.get("cases"), "unit_code", minerCode);
      long id = energy.get("id").asLong();
      assertThat(energy.get("state").asText()).isEqualTo("detected");
      assertThat(energy.get("coins").get(0).asText()).isEqualTo("monero");
      assertThat(energy.get("priority_list").asBoolean()).isTrue();
      double[] kwh = {
        energy.at("/kwh_per_day/0").asDouble(),
        energy.at("/kwh_per_day/1").asDouble(),
        energy.at("/kwh_per_day/2").asDouble()
      };
      assertThat(kwh[1]).isPositive();
      JsonNode university = find(cases.get("cases"), "unit_code", uni);
      assertThat(university.get("hosts").asInt()).isEqualTo(miners.size() - 1);

      // The unit contact sees its own case only; the Nanjing officer does not see the Hohhot case.
      String contact = login("contact");
      assertThat(get("/api/cases", contact).get("total").asInt()).isEqualTo(1);
      String nanjing = login("nanjing");
      assertThat(status("GET", "/api/cases/" + id, nanjing, null)).isEqualTo(403);

      // The walk, each step by a role that may, after the roles that may not are refused.
      String hohhot = login("hohhot");
      String grid = login("grid");
      String regulator = login("regulator");
      move(id, auditor, "dispatched", null, 403);
      move(id, nanjing, "dispatched", null, 403);
      move(id, hohhot, "inspected", null, 409);
      move(id, hohhot, "dispatched", null, 200);
      move(id, hohhot, "ownership-verified", Map.of(), 400);
      move(id, hohhot, "ownership-verified", Map.of("note", "户号与地址已核实"), 200);
      move(
          id,
          grid,
          "inspected",
          Map.of("inspection", Map.of("devices", 3, "mining", "deliberate", "notes", "x")),
          403);
      move(
          id,
          hohhot,
          "inspected",
          Map.of("inspection", Map.of("devices", 3, "mining", "deliberate")),
          400);
      move(
          id,
          hohhot,
          "inspected",
          Map.of(
              "inspection",
              Map.of("devices", 3, "mining", "deliberate", "notes", "机房内 3 台服务器运行 XMRig")),
          200);
      assertThat(
              post(
                      "/api/cases/" + id + "/orders",
                      regulator,
                      Map.of("kind", "price", "policy", "inner-mongolia-2022", "metered_kwh", 1000))
                  .status())
          .isEqualTo(409);
      move(id, hohhot, "disposed", Map.of("note", "依法处置"), 200);

      // Orders: metered, then from the estimate; the amounts recomputed here.
      assertThat(post("/api/cases/" + id + "/orders", hohhot, Map.of("kind", "price")).status())
          .isEqualTo(403);
      Reply metered =
          post(
              "/api/cases/" + id + "/orders",
              regulator,
              Map.of(
                  "kind",
                  "price",
                  "policy",
                  "inner-mongolia-2022",
                  "metered_kwh",
                  "12345.6",
                  "start",
                  "2027-01-01",
                  "end",
                  "2027-02-28"));
      assertThat(metered.status()).isEqualTo(201);
      assertThat(new BigDecimal(metered.json().get("amount_best").asText()))
          .isEqualByComparingTo("12345.60");
      LocalDate start = LocalDate.of(2027, 1, 1);
      LocalDate end = LocalDate.of(2027, 2, 28);
      long days = ChronoUnit.DAYS.between(start, end) + 1;
      Reply estimated =
          post(
              "/api/cases/" + id + "/orders",
              regulator,
              Map.of(
                  "kind",
                  "price",
                  "policy",
                  "inner-mongolia-2022",
                  "start",
                  start.toString(),
                  "end",
                  end.toString()));
      assertThat(estimated.status()).isEqualTo(201);
      for (int i = 0; i < 3; i++) {
        BigDecimal expected =
            BigDecimal.valueOf(kwh[i])
                .multiply(BigDecimal.valueOf(days))
                .setScale(2, RoundingMode.HALF_UP)
                .multiply(BigDecimal.ONE)
                .setScale(2, RoundingMode.HALF_UP);
        String field = List.of("amount_low", "amount_best", "amount_high").get(i);
        assertThat(new BigDecimal(estimated.json().get(field).asText()))
            .as(field)
            .isEqualByComparingTo(expected);
      }
      long orderId = metered.json().get("id").asLong();
      assertThat(post("/api/orders/" + orderId + "/execution", hohhot, Map.of()).status())
          .isEqualTo(403);
      assertThat(
              post("/api/orders/" + orderId + "/execution", grid, Map.of("note", "已按加价标准结算"))
                  .status())
          .isEqualTo(200);
      assertThat(post("/api/orders/" + orderId + "/execution", grid, Map.of()).status())
          .isEqualTo(409);
      HttpResponse<byte[]> html =
          raw("GET", "/api/orders/" + orderId + "/document?format=html&lang=zh", regulator, null);
      assertThat(html.statusCode()).isEqualTo(200);
      assertThat(new String(html.body(), StandardCharsets.UTF_8))
          .contains(metered.json().get("number").asText())
          .contains("12,345.60");

      // Rectification, then the host mines again: the capture re-dated to now reopens the case.
      move(id, hohhot, "rectifying", Map.of("deadline_days", 30), 200);
      clock.advance(Duration.ofDays(3));
      Path again = dir.resolve("again.pcap");
      PcapRedate.redate(MINER, again, clock.instant().minus(Duration.ofMinutes(10)));
      Path fresh = dir.resolve("fresh.jsonl");
      assertThat(
              MineWatch.run("scan", "-q", "-f", "jsonl", "-o", fresh.toString(), again.toString()))
          .isZero();
      assertThat(
              MineWatch.run(
                  "push",
                  fresh.toString(),
                  "--server",
                  base,
                  "--token",
                  sensor,
                  "--spool",
                  dir.resolve("spool").toString()))
          .isZero();
      hohhot = login("hohhot");
      JsonNode reopened = get("/api/cases/" + id, hohhot);
      assertThat(reopened.at("/summary/state").asText()).isEqualTo("reopened");
      assertThat(reopened.get("alerts").get(0).get("kind").asText()).isEqualTo("reopened");
      JsonNode last = reopened.get("history").get(reopened.get("history").size() - 1);
      assertThat(last.get("actor").asText()).isEqualTo("system");
      assertThat(last.get("to").asText()).isEqualTo("reopened");

      // Back to rectification; closing waits for 14 quiet days of monitoring.
      move(id, hohhot, "rectifying", Map.of("deadline_days", 15), 200);
      assertThat(
              post(
                      "/api/cases/" + id + "/reports",
                      login("contact"),
                      Map.of("kind", "rectification", "text", "已拆除全部矿机并加固服务器"))
                  .status())
          .isEqualTo(201);
      move(id, hohhot, "rechecked", Map.of("note", "监测数据无挖矿流量"), 200);
      Reply early = post("/api/cases/" + id + "/transitions", hohhot, Map.of("to", "closed"));
      assertThat(early.status()).isEqualTo(409);
      assertThat(early.json().get("error").asText()).contains("14 days");
      clock.advance(Duration.ofDays(15));
      hohhot = login("hohhot");
      move(id, hohhot, "closed", null, 200);
      JsonNode closed = get("/api/cases/" + id, hohhot);
      List<String> walked = new ArrayList<>();
      for (JsonNode e : closed.get("history")) {
        if (e.get("kind").asText().equals("transition")) {
          walked.add(e.get("to").asText());
        }
      }
      assertThat(walked)
          .containsExactly(
              "dispatched",
              "ownership-verified",
              "inspected",
              "disposed",
              "rectifying",
              "reopened",
              "rectifying",
              "rechecked",
              "closed");
      JsonNode stats = get("/api/stats", login("admin"));
      assertThat(stats.at("/saved_kwh_per_day/1").asDouble()).isEqualTo(kwh[1]);
      assertThat(stats.at("/cases_by_state/closed").asInt()).isEqualTo(1);

      // A tip-off, triaged, followed by its tracking code.
      Reply tip =
          post(
              "/api/tipoffs",
              null,
              Map.of(
                  "category",
                  "disguised-data-centre",
                  "address",
                  "呼和浩特市某园区",
                  "description",
                  "名为数据中心，实为矿场",
                  "contact",
                  "匿名"));
      assertThat(tip.status()).isEqualTo(201);
      String code = tip.json().get("code").asText();
      assertThat(get("/api/tipoffs/" + code, null).get("status").asText()).isEqualTo("received");
      long tipId = get("/api/tipoffs", hohhot).get(0).get("id").asLong();
      assertThat(
              post("/api/tipoffs/" + tipId + "/triage", hohhot, Map.of("action", "open-case"))
                  .status())
          .isEqualTo(200);
      assertThat(get("/api/tipoffs/" + code, null).get("status").asText()).isEqualTo("case-opened");

      // The audit chain holds, by the API and by the command line against the same database.
      assertThat(status("GET", "/api/audit/verify", auditor, null))
          .as("a session expires after 12 hours")
          .isEqualTo(401);
      JsonNode verify = get("/api/audit/verify", login("auditor"));
      assertThat(verify.get("intact").asBoolean()).isTrue();
      assertThat(verify.get("entries").asInt()).isGreaterThan(30);
      List<String> cli =
          kind.equals("h2")
              ? List.of("audit", "verify", "--data", dir.resolve("data").toString())
              : List.of(
                  "audit",
                  "verify",
                  "--db",
                  db.url(),
                  "--db-user",
                  PostgresServer.instance().user(),
                  "--db-password",
                  PostgresServer.instance().password());
      assertThat(MineWatch.run(cli.toArray(String[]::new))).isZero();
    } finally {
      db.close();
    }
  }

  record Reply(int status, JsonNode json) {}

  String login(String user) throws Exception {
    Reply r = post("/api/login", null, Map.of("user", user, "password", PASSWORD));
    assertThat(r.status()).as("login " + user).isEqualTo(200);
    return r.json().get("token").asText();
  }

  void move(long id, String token, String to, Map<String, Object> extra, int expected)
      throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("to", to);
    if (extra != null) {
      body.putAll(extra);
    }
    Reply r = post("/api/cases/" + id + "/transitions", token, body);
    assertThat(r.status()).as("to " + to + ": " + r.json()).isEqualTo(expected);
  }

  JsonNode get(String path, String token) throws Exception {
    HttpResponse<byte[]> r = raw("GET", path, token, null);
    assertThat(r.statusCode())
        .as("GET " + path + ": " + new String(r.body(), StandardCharsets.UTF_8))
        .isEqualTo(200);
    return JSON.readTree(r.body());
  }

  int status(String method, String path, String token, Object body) throws Exception {
    return raw(method, path, token, body).statusCode();
  }

  Reply post(String path, String token, Object body) throws Exception {
    HttpResponse<byte[]> r = raw("POST", path, token, body);
    return new Reply(r.statusCode(), r.body().length == 0 ? null : JSON.readTree(r.body()));
  }

  HttpResponse<byte[]> raw(String method, String path, String token, Object body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return client.send(
        b.header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode n : array) {
      if (value.equals(n.path(field).asText())) {
        return n;
      }
    }
    throw new AssertionError("no element with " + field + " = " + value + " in " + array);
  }

  static List<JsonNode> jsonLines(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(file)) {
      if (!l.isBlank()) {
        out.add(JSON.readTree(l));
      }
    }
    return out;
  }
}
