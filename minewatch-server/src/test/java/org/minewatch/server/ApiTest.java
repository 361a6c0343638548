package org.minewatch.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.attribution.registry.DemoRegistry;
import org.minewatch.governance.Governance;
import org.minewatch.governance.Settings;
import org.minewatch.governance.order.TariffPolicies;
import org.minewatch.governance.store.Database;
import org.minewatch.governance.user.Role;
import org.minewatch.governance.user.User;

/** The HTTP side: status codes and messages for bad input, limits, tip-offs by JSON and by form. */
class ApiTest {
  static final String LINE =
      "{\"host\":\"10.20.1.15\",\"role\":\"miner\",\"verdict\":\"mining\",\"coin\":\"monero\","
          + "\"protocol\":\"stratum-xmr\",\"peers\":[\"203.0.113.80:10128\"],\"first_seen\":\"2021-11-08T01:17:00Z\","
          + "\"last_seen\":\"2021-11-08T01:18:30.007Z\",\"flows\":1,\"bytes\":4369,\"evidence\":[\"client sent login\"],"
          + "\"source\":\"packets\",\"wallet\":null,\"algorithm\":\"randomx\",\"hashrate\":{\"value\":666.6,\"unit\":\"H/s\"},"
          + "\"kwh_per_day\":{\"low\":0.08709,\"best\":0.4,\"high\":1.579}}";
  @TempDir Path dir;
  Database db;
  ApiServer server;
  Http http;
  String sensor;
  String admin;

  @BeforeEach
  void start() {
    db = Database.embedded(dir);
    Governance g =
        new Governance(db, Clock.systemUTC(), Settings.defaults(), TariffPolicies.builtIn());
    sensor = g.addUser(User.SYSTEM, "probe", Role.SENSOR, null, null, null);
    g.addUser(
        User.SYSTEM,
        "admin",
        Role.PROVINCE_ADMIN,
        null,
        null,
        "a long enough password".toCharArray());
    g.importRegistry(User.SYSTEM, DemoRegistry.csv(), "demo");
    server = ApiServer.start(g, "127.0.0.1", 0);
    http = new Http(server.port());
    admin = http.login("admin", "a long enough password");
  }

  @AfterEach
  void stop() {
    server.close();
    db.close();
  }

  Http.Response ingest(String body) {
    return http.send(
        "POST",
        "/api/findings",
        sensor,
        "application/x-ndjson",
        body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void ingestIsIdempotentAndOpensACase() {
    Http.Response first = ingest(LINE + "\n");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.json().get("created").asInt()).isEqualTo(1);
    assertThat(first.json().get("cases_opened").asInt()).isEqualTo(1);
    Http.Response again = ingest(LINE + "\n");
    assertThat(again.json().get("unchanged").asInt()).isEqualTo(1);
    assertThat(again.json().get("created").asInt()).isZero();
    var cases = http.get("/api/cases", admin).json();
    assertThat(cases.get("total").asInt()).isEqualTo(1);
    assertThat(cases.at("/cases/0/unit_name").asText()).isEqualTo("示例大学 (Example University)");
    assertThat(cases.at("/cases/0/kwh_per_day/1").asDouble()).isEqualTo(0.4);
  }

  @Test
  void aBadLineNamesLineAndFieldAndWritesNothing() {
    Http.Response r = ingest(LINE + "\n" + LINE.replace("\"flows\":1", "\"flows\":\"abc\"") + "\n");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("field").asText()).isEqualTo("flows");
    assertThat(r.json().get("error").asText()).contains("line 2");
    assertThat(r.json().get("line").asInt()).isEqualTo(2);
    assertThat(http.get("/api/cases", admin).json().get("total").asInt()).isZero();
    Http.Response role = ingest(LINE.replace("\"role\":\"miner\"", "\"role\":\"wizard\""));
    assertThat(role.status()).isEqualTo(400);
    assertThat(role.json().get("error").asText())
        .isEqualTo("role: \"wizard\" is none of miner, node, pool (line 1)");
    assertThat(ingest("{not json").json().get("error").asText())
        .startsWith("not valid JSON")
        .endsWith("(line 1)");
  }

  @Test
  void wrongTypesAndUnknownStatesAre400s() {
    ingest(LINE);
    Http.Response state = http.post("/api/cases/1/transitions", admin, Map.of("to", "finished"));
    assertThat(state.status()).isEqualTo(400);
    assertThat(state.json().get("field").asText()).isEqualTo("to");
    Http.Response type = http.post("/api/cases/1/transitions", admin, Map.of("to", 5));
    assertThat(type.status()).isEqualTo(400);
    assertThat(type.json().get("error").asText()).isEqualTo("to: must be a string");
    assertThat(http.post("/api/cases/1/transitions", admin, "[1,2]").json().get("error").asText())
        .isEqualTo("the body must be a JSON object");
    assertThat(http.get("/api/cases?status=bogus", admin).status()).isEqualTo(400);
    assertThat(http.get("/api/cases?size=100000", admin).json().get("error").asText())
        .isEqualTo("size: must be 1 to 500");
    assertThat(http.get("/api/cases/abc", admin).json().get("field").asText()).isEqualTo("id");
    assertThat(http.get("/api/cases/99", admin).status()).isEqualTo(404);
    assertThat(http.post("/api/cases/1/transitions", admin, Map.of("to", "closed")).status())
        .isEqualTo(409);
  }

  @Test
  void filesAttachToACaseAndComeBackAsSent() {
    ingest(LINE);
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3};
    Http.Response r =
        http.send("POST", "/api/cases/1/attachments?name=rack.png", admin, "image/png", png);
    assertThat(r.status()).isEqualTo(201);
    long id = r.json().get("id").asLong();
    Http.Response back = http.get("/api/attachments/" + id, admin);
    assertThat(back.body()).isEqualTo(png);
    assertThat(back.headers().firstValue("Content-Type")).hasValue("image/png");
    var detail = http.get("/api/cases/1", admin).json();
    assertThat(detail.at("/attachments/0/name").asText()).isEqualTo("rack.png");
    assertThat(detail.at("/attachments/0/size").asInt()).isEqualTo(11);
    // A reason as code, values and the English sentence: a client may render it in its own
    // language.
    assertThat(detail.findValue("priority_reasons").get(0).toString())
        .isEqualTo(
            "{\"code\":\"priority.public_body\","
                + "\"args\":[{\"code\":\"category.university\",\"args\":[],\"text\":\"university\"}],"
                + "\"text\":\"state-owned or public body: university\"}");
    Http.Response exe =
        http.send(
            "POST",
            "/api/cases/1/attachments?name=x.exe",
            admin,
            "image/png",
            new byte[] {'M', 'Z', 0, 0});
    assertThat(exe.status()).isEqualTo(400);
    assertThat(exe.json().get("field").asText()).isEqualTo("file");
  }

  @Test
  void bodiesOverTheLimitAre413() throws java.io.IOException {
    byte[] big = new byte[(int) Api.INGEST_BODY + 1];
    java.util.Arrays.fill(big, (byte) ' ');
    // A client sending the whole body at once hears the status: the body is drained, not cut off
    // mid-way (which
    // resets the connection under the client's feet while it writes, and it never reads the 413).
    assertThat(http.send("POST", "/api/findings", sensor, "application/x-ndjson", big).status())
        .isEqualTo(413);
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(30_000);
      var out = s.getOutputStream();
      out.write(
          ("POST /api/findings HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                  + sensor
                  + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: "
                  + big.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      for (int at = 0; at < big.length; at += 64 * 1024) {
        out.write(big, at, Math.min(64 * 1024, big.length - at));
        if (at % (1 << 20) == 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(
              20_000_000); // the server answers while this still writes
        }
      }
      String status =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      assertThat(status).isEqualTo("HTTP/1.1 413 Payload Too Large");
    }
    // ... and one that waits for "100 Continue" hears it without sending the body (the JDK's client
    // hangs on this).
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(30_000);
      s.getOutputStream()
          .write(
              ("POST /api/findings HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                      + sensor
                      + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: "
                      + big.length
                      + "\r\nExpect: 100-continue\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String status =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      assertThat(status).isEqualTo("HTTP/1.1 413 Payload Too Large");
    }
    byte[] small = new byte[(int) Route.SMALL + 1];
    java.util.Arrays.fill(small, (byte) ' ');
    assertThat(http.send("POST", "/api/login", null, "application/json", small).status())
        .isEqualTo(413);
  }

  @Test
  void wrongPasswordIs401AndTheSixthTryIsThrottled() {
    for (int i = 0; i < 5; i++) {
      assertThat(
              http.post("/api/login", null, Map.of("user", "admin", "password", "wrong password"))
                  .status())
          .isEqualTo(401);
    }
    assertThat(
            http.post(
                    "/api/login",
                    null,
                    Map.of("user", "admin", "password", "a long enough password"))
                .status())
        .isEqualTo(429);
  }

  @Test
  void tipOffByJsonThenStatusByCode() {
    Http.Response r =
        http.post(
            "/api/tipoffs",
            null,
            Map.of(
                "category",
                "hidden-mining",
                "address",
                "南京市某网吧",
                "description",
                "机房常年高负荷，噪音大",
                "contact",
                "138xxxx",
                "attachments",
                List.of(
                    Map.of(
                        "name",
                        "note.txt",
                        "data",
                        Base64.getEncoder()
                            .encodeToString("风扇声很大".getBytes(StandardCharsets.UTF_8))))));
    assertThat(r.status()).isEqualTo(201);
    String code = r.json().get("code").asText();
    assertThat(code).matches("TO-[0-9A-Z]{20}");
    var status = http.get("/api/tipoffs/" + code, null).json();
    assertThat(status.get("status").asText()).isEqualTo("received");
    assertThat(status.has("contact")).isFalse();
    assertThat(status.has("description")).isFalse();
    assertThat(http.get("/api/tipoffs/TO-AAAAAAAAAAAAAAAAAAAA", null).status()).isEqualTo(404);
    var listed = http.get("/api/tipoffs", admin).json();
    assertThat(listed.get(0).get("contact").asText()).isEqualTo("138xxxx");
    assertThat(listed.get(0).get("attachments").get(0).asText()).isEqualTo("note.txt");
    Http.Response bad =
        http.post(
            "/api/tipoffs", null, Map.of("category", "aliens", "address", "x", "description", "y"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("field").asText()).isEqualTo("category");
  }

  @Test
  void aMultipartTipOffThatCannotBeParsedIsA400() {
    // Found by fuzzing: a part whose Content-Disposition is not form-data got a 500.
    String body =
        "--XyZ\r\nContent-Disposition: form-data; name=\"category\"\r\n\r\nhidden-mining\r\n"
            + "--XyZ\r\nContent-Disposition: ame=\"attachments\"; filename=\"a.png\"\r\n\r\nPNG\r\n--XyZ--\r\n";
    Http.Response r =
        http.send(
            "POST",
            "/api/tipoffs",
            null,
            "multipart/form-data; boundary=XyZ",
            body.getBytes(StandardCharsets.UTF_8));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").asText()).isEqualTo("the request is malformed: bad multipart");
  }

  @Test
  void tipOffByMultipartFormAndTheRateLimit() throws Exception {
    String boundary = "----mw" + System.nanoTime();
    StringBuilder b = new StringBuilder();
    for (var e :
        Map.of("category", "illegal-power", "address", "苏州市某厂房", "description", "夜间偷接电线")
            .entrySet()) {
      b.append("--")
          .append(boundary)
          .append("\r\nContent-Disposition: form-data; name=\"")
          .append(e.getKey())
          .append("\"\r\n\r\n")
          .append(e.getValue())
          .append("\r\n");
    }
    b.append("--")
        .append(boundary)
        .append(
            "\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"a.png\""
                + "\r\nContent-Type: image/png\r\n\r\n");
    byte[] head = b.toString().getBytes(StandardCharsets.UTF_8);
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0};
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[head.length + png.length + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    System.arraycopy(png, 0, body, head.length, png.length);
    System.arraycopy(tail, 0, body, head.length + png.length, tail.length);
    HttpClient c = HttpClient.newHttpClient();
    int[] statuses = new int[6];
    for (int i = 0; i < 6; i++) {
      statuses[i] =
          c.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.port() + "/api/tipoffs"))
                      .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                      .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode();
    }
    assertThat(statuses).containsExactly(201, 201, 201, 201, 201, 429);
    assertThat(http.get("/api/tipoffs", admin).json().get(0).get("attachments").get(0).asText())
        .isEqualTo("a.png");
  }
}
