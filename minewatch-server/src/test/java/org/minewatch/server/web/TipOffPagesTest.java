package org.minewatch.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.governance.Governance;
import org.minewatch.governance.Settings;
import org.minewatch.governance.order.TariffPolicies;
import org.minewatch.governance.store.Database;
import org.minewatch.governance.tipoff.TipOffs;
import org.minewatch.governance.user.Role;
import org.minewatch.governance.user.User;
import org.minewatch.server.ApiServer;

/**
 * The tip-off pages as a browser uses them (cookies kept by a CookieManager): the public form with
 * its CSRF cookie, validation messages beside the fields, the confirmation's tracking code, the
 * status page, the shared rate limit, and the officers' list with its triage forms.
 */
class TipOffPagesTest {
  static final Pattern CODE = Pattern.compile("id=\"tracking-code\">(TO-[0-9A-Z]{20})<");
  static final byte[] PNG = {
    (byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 'I', 'H', 'D', 'R'
  };

  /**
   * The start of a Windows executable: "MZ", then bytes that are neither text nor an accepted type.
   */
  static final byte[] EXE = {
    'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0
  };

  static final String PASSWORD = "a long enough password";
  static final Messages ZH = Messages.of("zh");
  static final Messages EN = Messages.of("en");

  @TempDir Path dir;
  Database db;
  Governance g;
  ApiServer server;
  String base;

  @BeforeEach
  void start() {
    db = Database.embedded(dir);
    g = new Governance(db, Clock.systemUTC(), Settings.defaults(), TariffPolicies.builtIn());
    g.addUser(User.SYSTEM, "admin", Role.PROVINCE_ADMIN, null, null, PASSWORD.toCharArray());
    g.addUser(User.SYSTEM, "auditor", Role.AUDITOR, null, null, PASSWORD.toCharArray());
    g.addUser(
        User.SYSTEM, "officer", Role.REGIONAL_OFFICER, "320100", null, PASSWORD.toCharArray());
    server = ApiServer.start(g, "127.0.0.1", 0);
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stop() {
    server.close();
    db.close();
  }

  // ------------------------------------------------------------------ the public form

  @Test
  void theFormHasALabelForEveryInputAndNoInlineScript() {
    Browser b = new Browser(base);
    Response r = b.get("/tipoff");
    assertThat(r.status()).isEqualTo(200);
    String html = r.text();
    assertThat(html)
        .contains("<h1>" + ZH.get("tipoff.title") + "</h1>")
        .contains("enctype=\"multipart/form-data\"")
        .contains("<input type=\"file\" id=\"attachments\" name=\"attachments\" multiple");
    for (String c : TipOffs.CATEGORIES) {
      assertThat(html)
          .contains(
              "<label for=\"category-" + c + "\">" + ZH.get("tipoff.category." + c) + "</label>")
          .contains(
              "id=\"category-"
                  + c
                  + "-hint\">"
                  + ZH.get("tipoff.category." + c + ".hint")
                  + "</p>");
    }
    // Every visible input, textarea and select has a label pointing at it.
    Matcher ids =
        Pattern.compile("<(?:input|textarea|select)(?![^>]*type=\"hidden\")[^>]*\\sid=\"([^\"]+)\"")
            .matcher(html);
    int n = 0;
    while (ids.find()) {
      assertThat(html)
          .as("label for " + ids.group(1))
          .contains("<label for=\"" + ids.group(1) + "\"");
      n++;
    }
    assertThat(n).isEqualTo(TipOffs.CATEGORIES.size() + 5);
    assertThat(html)
        .doesNotContain("<script>")
        .doesNotContain("style=\"")
        .doesNotContain(" onclick=");
    assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("script-src 'self'");
    // The double-submit cookie the form's hidden field must equal.
    assertThat(r.headers().allValues("Set-Cookie"))
        .anyMatch(
            c ->
                c.startsWith("mw_csrf=")
                    && c.contains("HttpOnly")
                    && c.contains("SameSite=Strict")
                    && !c.contains("Secure"));
    assertThat(html).contains("name=\"_csrf\" value=\"" + b.cookie("mw_csrf") + "\"");
    // English on request.
    assertThat(b.get("/tipoff?lang=en").text()).contains("<h1>Report cryptocurrency mining</h1>");
  }

  @Test
  void aFormWithoutTheCsrfTokenIsRefused() {
    Browser b = new Browser(base);
    b.get("/tipoff");
    Response none = b.post("/tipoff", valid().build());
    assertThat(none.status()).isEqualTo(403);
    assertThat(none.text()).contains(ZH.get("error.csrf"));
    Response wrong =
        b.post("/tipoff", valid().field("_csrf", "not-the-cookie-value-at-all").build());
    assertThat(wrong.status()).isEqualTo(403);
    // A token without its cookie (another site's page cannot send ours): refused too.
    Browser other = new Browser(base);
    Response stolen = other.post("/tipoff", valid().field("_csrf", b.cookie("mw_csrf")).build());
    assertThat(stolen.status()).isEqualTo(403);
    assertThat(g.listTipOffs(User.SYSTEM)).isEmpty();
  }

  @Test
  void aTipOffGetsACodeThatShowsItsStatus() {
    Browser b = new Browser(base);
    String csrf = b.csrf("/tipoff");
    Response r =
        b.post(
            "/tipoff",
            valid()
                .field("_csrf", csrf)
                .file("attachments", "photo.png", "image/png", PNG)
                .build());
    assertThat(r.status()).isEqualTo(200);
    Matcher m = CODE.matcher(r.text());
    assertThat(m.find()).as(r.text()).isTrue();
    String code = m.group(1);
    assertThat(r.text())
        .contains("<h1 id=\"sent-title\">" + ZH.get("tipoff.sent.title") + "</h1>")
        .contains(ZH.get("tipoff.sent.keep"))
        .contains("<a href=\"/tipoff/status?code=" + code + "\" id=\"status-link\">");

    TipOffs.View v = g.listTipOffs(User.SYSTEM).get(0);
    assertThat(v.code()).isEqualTo(code);
    assertThat(v.category()).isEqualTo("hidden-mining");
    assertThat(v.address()).isEqualTo("江苏省南京市玄武区某路 1 号 3 楼");
    assertThat(v.unit()).isEqualTo("某网吧");
    assertThat(v.description()).isEqualTo("夜里机器一直响，\n电表转得很快。");
    assertThat(v.contact()).isEqualTo("13800000000");
    assertThat(v.attachments()).containsExactly("photo.png");

    // Anyone with the code (no cookie needed) sees the status in words, with dates, and nothing
    // else.
    Browser anyone = new Browser(base);
    Response s = anyone.get("/tipoff/status?code=" + code);
    assertThat(s.status()).isEqualTo(200);
    assertThat(s.text())
        .contains("<span class=\"state state-received\" id=\"tipoff-status\">已受理</span>")
        .contains(ZH.get("tipoff.status.about.received"))
        .contains("id=\"received-at\">20")
        .doesNotContain("某网吧")
        .doesNotContain("13800000000")
        .doesNotContain("夜里");
    // Typed in lower case, with spaces, without the prefix: the same report.
    String typed = code.substring(3, 13).toLowerCase() + " " + code.substring(13);
    assertThat(
            anyone
                .get("/tipoff/status?code=" + URLEncoder.encode(typed, StandardCharsets.UTF_8))
                .text())
        .contains("id=\"tipoff-status\">已受理<");
    assertThat(anyone.get("/tipoff/status?code=" + code + "&lang=en").text())
        .contains("id=\"tipoff-status\">Received</span>");

    // An officer opens a case from it: the status says so.
    Browser admin = new Browser(base).signIn("admin");
    Response opened =
        admin.post(
            "/tipoffs/" + v.id() + "/triage",
            form(
                Map.of(
                    "_csrf", admin.csrf("/tipoffs"), "action", "open-case", "region", "320102")));
    assertThat(opened.status()).isEqualTo(303);
    assertThat(opened.headers().firstValue("Location")).hasValue("/tipoffs#tipoff-" + v.id());
    assertThat(anyone.get("/tipoff/status?code=" + code).text())
        .contains("<span class=\"state state-case-opened\" id=\"tipoff-status\">已立案</span>");
  }

  @Test
  void theStatusPageExplainsAWrongCode() {
    Browser b = new Browser(base);
    Response form = b.get("/tipoff/status");
    assertThat(form.status()).isEqualTo(200);
    assertThat(form.text())
        .contains("<label for=\"code\">" + ZH.get("tipoff.status.code") + "</label>")
        .doesNotContain("error-summary");
    Response unknown = b.get("/tipoff/status?code=TO-AAAAAAAAAAAAAAAAAAAA");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.text())
        .contains(
            "<p class=\"field-error\" id=\"code-error\">"
                + ZH.get("tipoff.status.error.unknown")
                + "</p>")
        .contains("aria-describedby=\"code-hint code-error\"")
        .contains("value=\"TO-AAAAAAAAAAAAAAAAAAAA\"");
    Response bad = b.get("/tipoff/status?code=hello&lang=en");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.text())
        .contains(EN.get("tipoff.status.error.format"))
        .contains("value=\"hello\"");
    assertThat(b.get("/tipoff/status?code=").status()).isEqualTo(400);
  }

  @Test
  void mistakesShowBesideTheirFieldsWithTheInputKept() {
    Browser b = new Browser(base);
    String csrf = b.csrf("/tipoff");
    Response r =
        b.post(
            "/tipoff",
            new Multipart()
                .field("_csrf", csrf)
                .field("category", "aliens")
                .field("address", "南京市 \"某\" <大楼>")
                .field("unit", "某公司")
                .field("description", "  ")
                .field("contact", "me@example.org")
                .file("attachments", "setup.exe", "application/octet-stream", EXE)
                .build());
    assertThat(r.status()).isEqualTo(400);
    String html = r.text();
    // The summary, first on the page and focused by app.js, links to each field.
    assertThat(html)
        .contains(
            "<div class=\"error-summary\" id=\"error-summary\" role=\"alert\" tabindex=\"-1\" "
                + "data-focus>");
    assertThat(html)
        .contains(
            "<a href=\"#category-disguised-data-centre\">"
                + ZH.get("tipoff.error.category")
                + "</a>")
        .contains(
            "<a href=\"#description\">" + ZH.get("tipoff.error.description_required") + "</a>")
        .contains(
            "<a href=\"#attachments\">" + ZH.f("tipoff.error.file_type", "setup.exe") + "</a>");
    // Beside the fields, tied to them with aria-describedby.
    assertThat(html)
        .contains("<p class=\"field-error\" id=\"category-error\">请选择举报类型。</p>")
        .contains("<p class=\"field-error\" id=\"description-error\">请描述您看到的情况。</p>")
        .contains(
            "<p class=\"field-error\" id=\"attachments-error\">setup.exe 不是照片（JPEG、PNG）、PDF 或文本文件。</p>")
        .contains("aria-describedby=\"description-hint description-error\" aria-invalid=\"true\"")
        .contains("aria-describedby=\"attachments-hint attachments-error\" aria-invalid=\"true\"")
        .contains("aria-describedby=\"address-hint\"")
        .doesNotContain("id=\"address-error\"");
    // What was typed is kept (escaped), the files are not and the page says so.
    assertThat(html)
        .contains("value=\"南京市 &#34;某&#34; &lt;大楼>\"")
        .contains("value=\"某公司\"")
        .contains("value=\"me@example.org\"")
        .contains("id=\"files-again\">" + ZH.get("tipoff.attachments.again"));
    assertThat(g.listTipOffs(User.SYSTEM)).isEmpty();

    // In English, a kept category stays chosen and a missing address is named.
    Response en =
        b.post(
            "/tipoff?lang=en",
            new Multipart()
                .field("_csrf", csrf)
                .field("category", "illegal-power")
                .field("description", "x".repeat(TipOffs.MAX_DESCRIPTION + 1))
                .build());
    assertThat(en.status()).isEqualTo(400);
    assertThat(en.text())
        .contains(
            "<p class=\"field-error\" id=\"address-error\">Enter the address of the site.</p>")
        .contains(
            "<p class=\"field-error\" id=\"description-error\">Too long: at most 5000 characters (you entered "
                + "5001).</p>")
        .contains("value=\"illegal-power\" checked")
        .doesNotContain("id=\"files-again\"");
  }

  @Test
  void filesOverTheLimitsGetAMessageNotAnError() {
    Browser b = new Browser(base);
    String csrf = b.csrf("/tipoff");
    byte[] big = new byte[TipOffs.MAX_ATTACHMENT_BYTES + 1];
    java.util.Arrays.fill(big, (byte) 'a');
    Response r =
        b.post(
            "/tipoff",
            valid().field("_csrf", csrf).file("attachments", "big.txt", "text/plain", big).build());
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(r.text())
        .contains("<p class=\"field-error\" id=\"attachments-error\">big.txt 超过 5 MB，请选择较小的文件。</p>")
        .contains("value=\"江苏省南京市玄武区某路 1 号 3 楼\"");
    Multipart six = valid().field("_csrf", csrf);
    for (int i = 1; i <= 6; i++) {
      six.file("attachments", i + ".png", "image/png", PNG);
    }
    Response tooMany = b.post("/tipoff?lang=en", six.build());
    assertThat(tooMany.status()).isEqualTo(413);
    assertThat(tooMany.text())
        .contains("id=\"attachments-error\">Too many files: at most 5 (you chose 6).</p>");
    assertThat(g.listTipOffs(User.SYSTEM)).isEmpty();
  }

  @Test
  void aBodyOverTheFormLimitIsRefusedBeforeItIsRead() {
    Browser b = new Browser(base);
    String csrf = b.csrf("/tipoff");
    Multipart m = valid().field("_csrf", csrf);
    m.file("attachments", "big.bin", "application/octet-stream", new byte[(int) WebPages.MAX_FORM]);
    byte[] body = m.build();
    assertThat((long) body.length).isGreaterThan(WebPages.MAX_FORM);
    Response r = b.postOrNull("/tipoff", body, m.contentType());
    assertThat(r).as("the server's answer (not a closed connection)").isNotNull();
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.text())
        .contains("<p class=\"error\" role=\"alert\">" + ZH.get("error.too_large") + "</p>");
    assertThat(g.listTipOffs(User.SYSTEM)).isEmpty();
  }

  @Test
  void theSixthTipOffFromOneAddressInTenMinutesIsHeldBack() throws Exception {
    Browser b = new Browser(base);
    String csrf = b.csrf("/tipoff");
    // A mistake does not spend the budget.
    assertThat(b.post("/tipoff", new Multipart().field("_csrf", csrf).build()).status())
        .isEqualTo(400);
    // Three through the JSON API and two through the page: one budget for the address.
    HttpClient api = HttpClient.newHttpClient();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> j =
          api.send(
              HttpRequest.newBuilder(URI.create(base + "/api/tipoffs"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"category\":\"other\",\"address\":\"a\",\"description\":\"d\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(j.statusCode()).isEqualTo(201);
    }
    for (int i = 0; i < 2; i++) {
      assertThat(b.post("/tipoff", valid().field("_csrf", csrf).build()).status()).isEqualTo(200);
    }
    Response sixth = b.post("/tipoff", valid().field("_csrf", csrf).build());
    assertThat(sixth.status()).isEqualTo(429);
    assertThat(sixth.text())
        .contains("<p id=\"notice\">" + ZH.f("tipoff.error.rate", 5, 10) + "</p>")
        .contains("您所在网络的提交次数已达上限（10 分钟内 5 次）")
        .contains("value=\"江苏省南京市玄武区某路 1 号 3 楼\"")
        .doesNotContain("tracking-code");
    assertThat(g.listTipOffs(User.SYSTEM)).hasSize(5);
    HttpResponse<String> api6 =
        api.send(
            HttpRequest.newBuilder(URI.create(base + "/api/tipoffs"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"category\":\"other\",\"address\":\"a\",\"description\":\"d\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(api6.statusCode()).isEqualTo(429);
  }

  // ------------------------------------------------------------------ officers

  @Test
  void officersSeeATipOffAsTextAndOnlyTheRightRolesSeeTheContact() {
    Browser anyone = new Browser(base);
    String csrf = anyone.csrf("/tipoff");
    assertThat(
            anyone
                .post(
                    "/tipoff",
                    new Multipart()
                        .field("_csrf", csrf)
                        .field("category", "other")
                        .field("address", "<img src=x onerror=alert(2)>")
                        .field("unit", "示例大学")
                        .field("description", "<script>alert(1)</script>")
                        .field("contact", "tipster@example.org")
                        .file(
                            "attachments",
                            "note.txt",
                            "text/plain",
                            "证据".getBytes(StandardCharsets.UTF_8))
                        .build())
                .status())
        .isEqualTo(200);
    long id = g.listTipOffs(User.SYSTEM).get(0).id();

    // Not signed in: to the sign-in page.
    Response out = anyone.get("/tipoffs");
    assertThat(out.status()).isEqualTo(302);
    assertThat(out.headers().firstValue("Location")).hasValue("/login?next=%2Ftipoffs");

    Browser admin = new Browser(base).signIn("admin");
    Response list = admin.get("/tipoffs");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.text())
        .contains("<dd class=\"tipoff-description\">&lt;script&gt;alert(1)&lt;/script&gt;</dd>")
        .contains("<dd class=\"tipoff-address\">&lt;img src=x onerror=alert(2)&gt;</dd>")
        .doesNotContain("<script>alert(1)")
        .doesNotContain("<img src=x")
        .contains("<dd class=\"tipoff-contact\">tipster@example.org</dd>")
        .contains("<a href=\"/tipoffs/" + id + "/attachments/1\" download>note.txt</a>")
        .contains("action=\"/tipoffs/" + id + "/triage\"")
        .contains(
            "<label for=\"tipoff-" + id + "-case\">" + ZH.get("tipoffs.link.case") + "</label>");

    Browser auditor = new Browser(base).signIn("auditor");
    Response audited = auditor.get("/tipoffs");
    assertThat(audited.status()).isEqualTo(200);
    assertThat(audited.text())
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .doesNotContain("tipster@example.org")
        .doesNotContain("tipoff-contact")
        .doesNotContain("action=\"/tipoffs/" + id + "/triage\"");
    // The auditor reads the files but triages nothing.
    Response file = auditor.get("/tipoffs/" + id + "/attachments/1");
    assertThat(file.status()).isEqualTo(200);
    assertThat(file.body()).isEqualTo("证据".getBytes(StandardCharsets.UTF_8));
    assertThat(file.headers().firstValue("Content-Type")).hasValue("text/plain;charset=utf-8");
    assertThat(file.headers().firstValue("Content-Disposition").orElseThrow())
        .startsWith("attachment; filename=\"tipoff-" + id + "-1.txt\"");
    assertThat(auditor.get("/tipoffs/" + id + "/attachments/2").status()).isEqualTo(404);
    Response refused =
        auditor.post(
            "/tipoffs/" + id + "/triage",
            form(Map.of("_csrf", auditor.csrf("/tipoffs"), "action", "reject", "reason", "no")));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(g.listTipOffs(User.SYSTEM).get(0).status()).isEqualTo("received");
  }

  @Test
  void triageFormsShowTheirMistakesBesideTheField() {
    String code1 = fileOne();
    String code2 = fileOne();
    List<TipOffs.View> views = g.listTipOffs(User.SYSTEM);
    long first = views.stream().filter(v -> v.code().equals(code1)).findFirst().orElseThrow().id();
    long second = views.stream().filter(v -> v.code().equals(code2)).findFirst().orElseThrow().id();
    Browser admin = new Browser(base).signIn("admin");
    String csrf = admin.csrf("/tipoffs");

    Response noReason =
        admin.post(
            "/tipoffs/" + first + "/triage",
            form(Map.of("_csrf", csrf, "action", "reject", "reason", " ")));
    assertThat(noReason.status()).isEqualTo(400);
    assertThat(noReason.text())
        .contains(
            "<p class=\"field-error\" id=\"tipoff-"
                + first
                + "-reason-error\">"
                + ZH.get("tipoffs.error.reason_required")
                + "</p>")
        .contains(
            "<a href=\"#tipoff-"
                + first
                + "-reason\">"
                + ZH.get("tipoffs.error.reason_required")
                + "</a>");

    Response unknownCase =
        admin.post(
            "/tipoffs/" + first + "/triage?lang=en",
            form(Map.of("_csrf", csrf, "action", "link", "case", "MW-2099-999999")));
    assertThat(unknownCase.status()).isEqualTo(400);
    assertThat(unknownCase.text())
        .contains("id=\"tipoff-" + first + "-case-error\">There is no case MW-2099-999999.</p>")
        .contains("value=\"MW-2099-999999\"");

    Response badRegion =
        admin.post(
            "/tipoffs/" + first + "/triage",
            form(Map.of("_csrf", csrf, "action", "open-case", "region", "32")));
    assertThat(badRegion.status()).isEqualTo(400);
    assertThat(badRegion.text())
        .contains(
            "id=\"tipoff-"
                + first
                + "-region-error\">"
                + ZH.get("tipoffs.error.region_format")
                + "</p>");

    // Open a case from the first, link the second to it by the case's number, then nothing more can
    // be done.
    assertThat(
            admin
                .post(
                    "/tipoffs/" + first + "/triage",
                    form(Map.of("_csrf", csrf, "action", "open-case", "region", "320102")))
                .status())
        .isEqualTo(303);
    long caseId =
        g.listTipOffs(User.SYSTEM).stream()
            .filter(v -> v.id() == first)
            .findFirst()
            .orElseThrow()
            .caseId();
    String number = g.caseDetail(User.SYSTEM, caseId).summary().number();
    assertThat(
            admin
                .post(
                    "/tipoffs/" + second + "/triage",
                    form(Map.of("_csrf", csrf, "action", "link", "case", number)))
                .status())
        .isEqualTo(303);
    TipOffs.View linked =
        g.listTipOffs(User.SYSTEM).stream().filter(v -> v.id() == second).findFirst().orElseThrow();
    assertThat(linked.status()).isEqualTo("linked");
    assertThat(linked.caseId()).isEqualTo(caseId);
    Response again =
        admin.post(
            "/tipoffs/" + second + "/triage",
            form(Map.of("_csrf", csrf, "action", "reject", "reason", "dup")));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.text())
        .contains("<p id=\"notice\">" + ZH.f("tipoffs.error.already", second) + "</p>");
    String page = admin.get("/tipoffs").text();
    assertThat(page)
        .contains("<a href=\"/cases/" + caseId + "\">" + ZH.f("tipoffs.case_link", caseId) + "</a>")
        .doesNotContain("action=\"/tipoffs/" + second + "/triage\"");
    assertThat(new Browser(base).get("/tipoff/status?code=" + code2).text())
        .contains("id=\"tipoff-status\">已并入案件<");

    // A regional officer may not link to a case outside its region: said beside the field.
    String code3 = fileOne();
    long third =
        g.listTipOffs(User.SYSTEM).stream()
            .filter(v -> v.code().equals(code3))
            .findFirst()
            .orElseThrow()
            .id();
    long elsewhere = g.triageTipOff(User.SYSTEM, third, "open-case", null, null, "110101").caseId();
    String code4 = fileOne();
    long fourth =
        g.listTipOffs(User.SYSTEM).stream()
            .filter(v -> v.code().equals(code4))
            .findFirst()
            .orElseThrow()
            .id();
    Browser officer = new Browser(base).signIn("officer");
    Response outside =
        officer.post(
            "/tipoffs/" + fourth + "/triage",
            form(
                Map.of(
                    "_csrf",
                    officer.csrf("/tipoffs"),
                    "action",
                    "link",
                    "case",
                    String.valueOf(elsewhere))));
    assertThat(outside.status()).isEqualTo(403);
    assertThat(outside.text())
        .contains(
            "id=\"tipoff-"
                + fourth
                + "-case-error\">"
                + ZH.get("tipoffs.error.outside_region")
                + "</p>");
  }

  // ------------------------------------------------------------------ helpers

  String fileOne() {
    Browser b = new Browser(base);
    Response r = b.post("/tipoff", valid().field("_csrf", b.csrf("/tipoff")).build());
    Matcher m = CODE.matcher(r.text());
    assertThat(m.find()).as(r.text()).isTrue();
    return m.group(1);
  }

  static Multipart valid() {
    return new Multipart()
        .field("category", "hidden-mining")
        .field("address", "江苏省南京市玄武区某路 1 号 3 楼")
        .field("unit", "某网吧")
        .field("description", "夜里机器一直响，\r\n电表转得很快。")
        .field("contact", "13800000000");
  }

  static Form form(Map<String, String> fields) {
    return new Form(new LinkedHashMap<>(fields));
  }

  record Form(Map<String, String> fields) {
    String encoded() {
      StringBuilder b = new StringBuilder();
      fields.forEach(
          (k, v) ->
              b.append(b.isEmpty() ? "" : "&")
                  .append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                  .append('=')
                  .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
      return b.toString();
    }
  }

  record Response(int status, byte[] body, HttpHeaders headers) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** A multipart/form-data body as a browser sends it. */
  static final class Multipart {
    final String boundary = "----MineWatchTest" + Long.toHexString(System.nanoTime());
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Multipart field(String name, String value) {
      head("Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n");
      out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      return this;
    }

    Multipart file(String name, String filename, String type, byte[] content) {
      head(
          "Content-Disposition: form-data; name=\""
              + name
              + "\"; filename=\""
              + filename
              + "\"\r\nContent-Type: "
              + type
              + "\r\n\r\n");
      out.writeBytes(content);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      return this;
    }

    private void head(String h) {
      out.writeBytes(("--" + boundary + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(h.getBytes(StandardCharsets.UTF_8));
    }

    byte[] build() {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      all.writeBytes(out.toByteArray());
      all.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
      return all.toByteArray();
    }

    String contentType() {
      return "multipart/form-data; boundary=" + boundary;
    }
  }

  /** A browser: keeps cookies, does not follow redirects (so that tests see them). */
  static final class Browser {
    final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    final HttpClient client;
    final String base;

    Browser(String base) {
      this.base = base;
      this.client =
          HttpClient.newBuilder()
              .cookieHandler(cookies)
              .followRedirects(HttpClient.Redirect.NEVER)
              .connectTimeout(Duration.ofSeconds(5))
              .build();
    }

    Response get(String path) {
      return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** A multipart form (the last built {@link Multipart}'s boundary is read from its body). */
    Response post(String path, byte[] multipart) {
      String text =
          new String(multipart, 0, Math.min(200, multipart.length), StandardCharsets.ISO_8859_1);
      String boundary = text.substring(2, text.indexOf("\r\n"));
      return send(
          HttpRequest.newBuilder(URI.create(base + path))
              .header("Content-Type", "multipart/form-data; boundary=" + boundary)
              .POST(HttpRequest.BodyPublishers.ofByteArray(multipart)));
    }

    Response post(String path, Form form) {
      return send(
          HttpRequest.newBuilder(URI.create(base + path))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(form.encoded())));
    }

    /**
     * A post the server may refuse before reading it all: null when the connection closed first.
     */
    Response postOrNull(String path, byte[] body, String contentType) {
      try {
        HttpResponse<byte[]> r =
            client.send(
                HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return new Response(r.statusCode(), r.body(), r.headers());
      } catch (IOException e) {
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    private Response send(HttpRequest.Builder b) {
      try {
        HttpResponse<byte[]> r =
            client.send(
                b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Response(r.statusCode(), r.body(), r.headers());
      } catch (IOException e) {
        throw new AssertionError(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    String cookie(String name) {
      return cookies.getCookieStore().getCookies().stream()
          .filter(c -> c.getName().equals(name))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no cookie " + name))
          .getValue();
    }

    /** The CSRF token of the forms on {@code path}. */
    String csrf(String path) {
      Response r = get(path);
      Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(r.text());
      if (!m.find()) {
        throw new AssertionError("no CSRF token on " + path + " (" + r.status() + ")");
      }
      return m.group(1);
    }

    Browser signIn(String user) {
      Response r =
          post(
              "/login",
              form(
                  Map.of(
                      "_csrf",
                      csrf("/login"),
                      "user",
                      user,
                      "password",
                      PASSWORD,
                      "next",
                      "/tipoffs")));
      if (r.status() != 303) {
        throw new AssertionError("sign-in of " + user + ": " + r.status() + " " + r.text());
      }
      return this;
    }
  }
}
