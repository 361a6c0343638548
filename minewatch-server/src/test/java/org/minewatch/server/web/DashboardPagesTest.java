package org.minewatch.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import org.minewatch.governance.order.TariffPolicies;
import org.minewatch.governance.store.Database;
import org.minewatch.governance.user.Role;
import org.minewatch.governance.user.User;
import org.minewatch.server.ApiServer;

/**
 * The dashboard page on a real server: its figures and bars for the province administrator, each
 * linking to the case list that holds exactly the cases behind it; a regional officer's own region;
 * the drill-down province → city → county; a unit contact sent to its cases. The clock stands at
 * Monday 2 March 2026, 11:00 in Beijing (ISO week 10), so the weeks are exact.
 */
class DashboardPagesTest {
  static final String PASSWORD = "a long enough password";
  static final Instant NOW = Instant.parse("2026-03-02T03:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static Database db;
  static ApiServer server;
  static final HttpClient CLIENT =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  static final Map<String, String> SESSIONS = new LinkedHashMap<>();

  /**
   * A miner's line as {@code minewatch scan -f jsonl} writes it, with what the dashboard counts.
   */
  static String line(
      String host,
      String coin,
      String algorithm,
      String firstSeen,
      double[] kwh,
      String operation) {
    ObjectNode n = JSON.createObjectNode();
    n.put("host", host);
    n.put("role", "miner");
    n.put("verdict", "mining");
    n.put("coin", coin);
    n.put("protocol", "stratum-v1");
    n.putArray("peers").add("198.51.100.23:3333");
    n.put("first_seen", firstSeen);
    n.put("last_seen", Instant.parse(firstSeen).plusSeconds(90).toString());
    n.put("flows", 1);
    n.put("bytes", 2803);
    n.putArray("evidence").add("client sent mining.subscribe");
    n.put("source", "packets");
    n.put("operation", operation);
    n.put("algorithm", algorithm);
    if (kwh != null) {
      ObjectNode k = n.putObject("kwh_per_day");
      k.put("low", kwh[0]);
      k.put("best", kwh[1]);
      k.put("high", kwh[2]);
    }
    return n.toString();
  }

  @BeforeAll
  static void start() throws Exception {
    db = Database.embedded(dir);
    Governance g =
        new Governance(
            db, Clock.fixed(NOW, ZoneOffset.UTC), Settings.defaults(), TariffPolicies.builtIn());
    String sensor = g.addUser(User.SYSTEM, "probe", Role.SENSOR, null, null, null);
    g.addUser(User.SYSTEM, "admin", Role.PROVINCE_ADMIN, null, null, PASSWORD.toCharArray());
    g.addUser(
        User.SYSTEM, "nanjing", Role.REGIONAL_OFFICER, "320100", null, PASSWORD.toCharArray());
    g.addUser(
        User.SYSTEM,
        "university",
        Role.UNIT_CONTACT,
        null,
        CreditCode.withCheck("12320100MB0000012"),
        PASSWORD.toCharArray());
    g.importRegistry(User.SYSTEM, DemoRegistry.csv(), "demo");
    g.ingest(
        g.authenticate(sensor).orElseThrow(),
        String.join(
                "\n",
                // The university (Nanjing, 320100): two hosts, weeks 8 and 10.
                line(
                    "10.20.1.15",
                    "monero",
                    "randomx",
                    "2026-02-16T01:00:00Z",
                    new double[] {0.1, 0.4, 1.6},
                    "op-aaa"),
                line(
                    "10.20.1.16",
                    "monero",
                    "randomx",
                    "2026-03-01T16:30:00Z",
                    new double[] {1, 2, 4},
                    "op-aaa"),
                // The city commission (Wuxi, 320200), week 9; the residential subscriber (Suzhou,
                // 320500), in 2021.
                line("10.20.7.33", "bitcoin", "sha256d", "2026-02-24T05:00:00Z", null, "op-bbb"),
                line("192.168.40.9", "ethereum", "ethash", "2021-11-08T01:18:51Z", null, "op-ccc"),
                // No unit holds it; neither coin nor algorithm known; week 9.
                line("172.31.5.5", null, null, "2026-02-25T00:00:00Z", null, null))
            + "\n");
    server = ApiServer.start(g, "127.0.0.1", 0);
    for (String user : List.of("admin", "nanjing", "university")) {
      HttpResponse<String> r =
          CLIENT.send(
              HttpRequest.newBuilder(uri("/api/login"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"user\":\"" + user + "\",\"password\":\"" + PASSWORD + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      SESSIONS.put(user, JSON.readTree(r.body()).get("token").asText());
    }
  }

  @AfterAll
  static void stop() {
    server.close();
    db.close();
  }

  static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  /** GET as {@code user} (null: signed out), in Chinese. */
  static HttpResponse<String> get(String user, String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path))
            .header(
                "Cookie",
                "mw_lang=zh" + (user == null ? "" : "; mw_session=" + SESSIONS.get(user)));
    try {
      return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static String page(String user, String path) {
    HttpResponse<String> r = get(user, path);
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return r.body();
  }

  static String html(String s) {
    return s.replace("&amp;", "&")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
  }

  /** A figure card: its link and its value. */
  static String[] figure(String page, String id) {
    Matcher m =
        Pattern.compile(
                "<a class=\"figure[^\"]*\" id=\""
                    + id
                    + "\" href=\"([^\"]*)\">.*?<span class=\"value\">"
                    + "([^<]*)</span>(?:\\s*<span class=\"sub\">([^<]*)</span>)?",
                Pattern.DOTALL)
            .matcher(page);
    assertThat(m.find()).as(id).isTrue();
    return new String[] {
      html(m.group(1)), html(m.group(2)), m.group(3) == null ? null : html(m.group(3).strip())
    };
  }

  /** One bar: its key, label, drill-down link (or null), count and the link of its cases. */
  record Bar(String key, String label, String drill, String count, String cases) {}

  static List<Bar> bars(String page, String id) {
    int from = page.indexOf("id=\"bars-" + id + "\"");
    assertThat(from).as(id).isPositive();
    String list = page.substring(from, page.indexOf("</ul>", from));
    Matcher m =
        Pattern.compile(
                "<li data-key=\"([^\"]*)\">\\s*<span class=\"name\">(?:<a href=\"([^\"]*)\" "
                    + "class=\"drill\">)?([^<]*).*?<a class=\"count\" href=\"([^\"]*)\"[^>]*>([^<]*)</a>",
                Pattern.DOTALL)
            .matcher(list);
    List<Bar> out = new ArrayList<>();
    while (m.find()) {
      out.add(
          new Bar(
              m.group(1),
              html(m.group(3).strip()),
              m.group(2) == null ? null : html(m.group(2)),
              m.group(5),
              html(m.group(4))));
    }
    return out;
  }

  /** The number of cases the case list at {@code link} holds, as its heading says ("共 N 件"). */
  static int casesAt(String user, String link) {
    Matcher m =
        Pattern.compile("<small id=\"case-total\">共 (\\d+) 件</small>").matcher(page(user, link));
    assertThat(m.find()).as(link).isTrue();
    return Integer.parseInt(m.group(1));
  }

  static List<List<String>> weeks(String page) {
    String table =
        page.substring(
            page.indexOf("<table class=\"weeks\""),
            page.indexOf("</table>", page.indexOf("<table class=\"weeks\"")));
    List<List<String>> rows = new ArrayList<>();
    Matcher row =
        Pattern.compile("<tr>\\s*<th scope=\"row\">([^ <]*).*?</tr>", Pattern.DOTALL)
            .matcher(table);
    while (row.find()) {
      List<String> cells = new ArrayList<>(List.of(row.group(1)));
      Matcher cell = Pattern.compile("<td>([^<]*)</td>").matcher(row.group());
      while (cell.find()) {
        cells.add(cell.group(1));
      }
      rows.add(cells);
    }
    return rows;
  }

  @Test
  void theProvinceAdministratorSeesTheFiguresAndTheirCases() {
    String p = page("admin", "/dashboard");

    assertThat(p).contains("<h1>全省概览 <small>数据截至 2026-03-02 11:00（北京时间）</small></h1>");
    assertThat(figure(p, "fig-share"))
        .containsExactly(
            "/cases?category=government,public-institution,university,soe,enterprise"
                .replace(",", "%2C"),
            "60.0%",
            "3 / 5 个挖矿地址");
    assertThat(figure(p, "fig-addresses")).containsExactly("/cases", "5", null);
    assertThat(figure(p, "fig-units")).containsExactly("/cases", "3", null);
    assertThat(figure(p, "fig-energy")).containsExactly("/cases", "2.40", "区间 1.10–5.60");
    assertThat(figure(p, "fig-saved")).containsExactly("/cases?status=closed", "0", "区间 0–0");
    assertThat(figure(p, "fig-open")[1]).isEqualTo("4");
    assertThat(figure(p, "fig-overdue")).containsExactly("/cases?overdue=true", "0", null);
    assertThat(figure(p, "fig-clearance"))
        .containsExactly("/cases?priority=list", "—", "2026-02-23 至 2026-03-01 没有案件列入重点名单");

    assertThat(bars(p, "regions"))
        .containsExactly(
            new Bar("32", "江苏省", "/dashboard?region=32", "4", "/cases?region=32"),
            new Bar("none", "未归属地区（无单位登记的地址）", null, "1", "/cases?region=none"));
    assertThat(bars(p, "categories"))
        .extracting(Bar::key, Bar::count)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("university", "2"),
                org.assertj.core.groups.Tuple.tuple("government", "1"),
            org.assertj.core.groups.Tuple.tuple("residential", "1"),
                org.assertj.core.groups.Tuple.tuple("unknown", "1"));
    assertThat(bars(p, "coins"))
        .containsExactly(
            new Bar("monero", "门罗币", null, "2", "/cases?coin=monero"),
            new Bar("bitcoin", "比特币", null, "1", "/cases?coin=bitcoin"),
            new Bar("ethereum", "以太坊", null, "1", "/cases?coin=ethereum"),
            new Bar("unknown", "未知", null, "1", "/cases?coin=unknown"));
    assertThat(bars(p, "algorithms"))
        .extracting(Bar::key, Bar::count, Bar::cases)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("randomx", "2", "/cases?algorithm=randomx"),
            org.assertj.core.groups.Tuple.tuple("ethash", "1", "/cases?algorithm=ethash"),
            org.assertj.core.groups.Tuple.tuple("sha256d", "1", "/cases?algorithm=sha256d"),
            org.assertj.core.groups.Tuple.tuple("unknown", "1", "/cases?algorithm=unknown"));
    assertThat(bars(p, "states"))
        .hasSize(10)
        .first()
        .isEqualTo(new Bar("detected", "监测发现", null, "4", "/cases?status=detected"));
    assertThat(p)
        .contains("<a href=\"/cases?unit=12320100MB0000012N\">示例大学 (Example University)</a>")
        .contains("<a class=\"mono\" href=\"/cases?operation=op-aaa\">op-aaa</a>");

    // Every figure's link lists exactly the cases behind it (a filter the list did not know would
    // list them all).
    Map<String, Integer> expected = new LinkedHashMap<>();
    expected.put(figure(p, "fig-share")[0], 2);
    expected.put(figure(p, "fig-open")[0], 4);
    expected.put("/cases?overdue=true", 0);
    expected.put("/cases?priority=list", 2);
    expected.put("/cases?region=32", 3);
    expected.put("/cases?region=none", 1);
    expected.put("/cases?coin=monero", 1);
    expected.put("/cases?coin=unknown", 1);
    expected.put("/cases?algorithm=randomx", 1);
    expected.put("/cases?algorithm=unknown", 1);
    expected.put("/cases?category=unknown", 1);
    expected.put("/cases?operation=op-aaa", 1);
    expected.put("/cases?unit=12320100MB0000012N", 1);
    // The list page's filter form sends the fields left empty: no filter, not a refused query
    // listing everything.
    expected.put(
        "/cases?status=rejected&region=&priority=&category=&coin=&algorithm=&overdue=&sort=priority",
        0);
    expected.forEach((link, n) -> assertThat(casesAt("admin", link)).as(link).isEqualTo(n));
    for (String list : List.of("regions", "categories", "coins", "algorithms", "states")) {
      for (Bar b : bars(p, list)) {
        if (!b.count().equals("0") && !b.key().equals("32")) {
          // One case per address here, but for the university's two.
          int cases = casesAt("admin", b.cases());
          assertThat(cases).as(b.cases()).isBetween(1, Integer.parseInt(b.count()));
        }
      }
    }
  }

  @Test
  void theWeeksAreATableAndTheChartsData() throws Exception {
    String p = page("admin", "/dashboard");

    List<List<String>> weeks = weeks(p);
    assertThat(weeks)
        .extracting(r -> r.get(0))
        .containsExactly(
            "2025-W51",
            "2025-W52",
            "2026-W01",
            "2026-W02",
            "2026-W03",
            "2026-W04",
            "2026-W05",
            "2026-W06",
            "2026-W07",
            "2026-W08",
            "2026-W09",
            "2026-W10");
    assertThat(weeks.get(9)).containsExactly("2026-W08", "1", "2", "2", "0", "0", "0 / 0");
    assertThat(weeks.get(10)).containsExactly("2026-W09", "2", "4", "3", "0", "0", "0 / 0");
    assertThat(weeks.get(11)).containsExactly("2026-W10", "1", "5", "3", "4", "0", "未到期");

    // The chart script's data: in an attribute, not an inline script.
    Matcher m =
        Pattern.compile("id=\"chart-addresses\" aria-hidden=\"true\" data-chart=\"([^\"]*)\"")
            .matcher(p);
    assertThat(m.find()).isTrue();
    JsonNode chart = JSON.readTree(html(m.group(1)));
    assertThat(chart.get("weeks").get(11).asText()).isEqualTo("2026-W10");
    assertThat(chart.at("/series/0/values").toString()).isEqualTo("[0,0,0,0,0,0,0,0,0,1,2,1]");
    assertThat(chart.at("/series/1/values").toString()).isEqualTo("[1,1,1,1,1,1,1,1,1,2,4,5]");
    assertThat(Pattern.compile("<script(?![^>]*\\ssrc=)").matcher(p).find()).isFalse();
    assertThat(p)
        .contains(
            "<script src=\"/assets/uplot/uPlot.iife.min.js\" defer></script>",
            "<script src=\"/assets/dashboard.js\" defer></script>");
    HttpResponse<String> js = get(null, "/assets/dashboard.js");
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.body()).contains("data-chart");
    assertThat(get(null, "/assets/uplot/uPlot.iife.min.js").statusCode()).isEqualTo(200);
  }

  @Test
  void drillingDownProvinceCityCounty() {
    String province = page("admin", "/dashboard?region=32");
    assertThat(province).contains("<h1>江苏省概览");
    assertThat(province)
        .contains(
            "<li><a href=\"/dashboard\">全省</a></li>",
            "<li><span aria-current=\"page\">江苏省</span></li>");
    assertThat(figure(province, "fig-addresses")).containsExactly("/cases?region=32", "4", null);
    assertThat(bars(province, "regions"))
        .containsExactly(
            new Bar("3201", "南京市", "/dashboard?region=3201", "2", "/cases?region=3201"),
            new Bar("3202", "无锡市", "/dashboard?region=3202", "1", "/cases?region=3202"),
            new Bar("3205", "苏州市", "/dashboard?region=3205", "1", "/cases?region=3205"));
    assertThat(casesAt("admin", "/cases?region=3201")).isEqualTo(1);

    String city = page("admin", "/dashboard?region=3201");
    assertThat(city)
        .contains(
            "<h1>南京市概览",
            "<li><a href=\"/dashboard?region=32\">江苏省</a></li>",
            "<li><span aria-current=\"page\">南京市</span></li>");
    // The demo registry files the university at the city's own level (320100): one bar, nothing
    // below it.
    assertThat(bars(city, "regions"))
        .containsExactly(new Bar("320100", "南京市（市本级）", null, "2", "/cases?region=320100"));
    assertThat(figure(city, "fig-share")[1]).isEqualTo("100.0%");
    assertThat(bars(city, "coins"))
        .containsExactly(new Bar("monero", "门罗币", null, "2", "/cases?coin=monero&region=3201"));

    assertThat(get("admin", "/dashboard?region=abc").statusCode()).isEqualTo(400);
    // The case list a figure leads to, with a filter that cannot be read: it says which, and lists
    // nothing.
    HttpResponse<String> bad = get("admin", "/cases?region=abc");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body())
        .contains("<p class=\"error\" role=\"alert\" id=\"filter-error\">筛选条件有误（地区代码）：region: ")
        .contains("<small id=\"case-total\">共 0 件</small>");
    assertThat(page("admin", "/dashboard?region=32&lang=en")).contains("Jiangsu at a glance");
  }

  @Test
  void aRegionalOfficerSeesOnlyItsRegion() {
    String p = page("nanjing", "/dashboard");
    assertThat(p).contains("<h1>南京市概览");
    assertThat(figure(p, "fig-addresses")).containsExactly("/cases?region=3201", "2", null);
    assertThat(figure(p, "fig-units")[1]).isEqualTo("1");
    assertThat(figure(p, "fig-open")[1]).isEqualTo("1");
    assertThat(bars(p, "regions"))
        .containsExactly(new Bar("320100", "南京市（市本级）", null, "2", "/cases?region=320100"));
    assertThat(bars(p, "coins")).extracting(Bar::key).containsExactly("monero");
    assertThat(p).doesNotContain("示例市发展和改革委员会", "op-bbb", "江苏省");
    // Above its region: its own; beside it: refused.
    assertThat(page("nanjing", "/dashboard?region=32")).contains("<h1>南京市概览");
    assertThat(get("nanjing", "/dashboard?region=3202").statusCode()).isEqualTo(403);
  }

  @Test
  void aUnitContactIsSentToItsCases() {
    HttpResponse<String> home = get("university", "/");
    assertThat(home.statusCode()).isEqualTo(302);
    assertThat(home.headers().firstValue("Location")).hasValue("/cases");
    assertThat(get("university", "/dashboard").statusCode()).isEqualTo(403);
    assertThat(page("university", "/cases")).doesNotContain("href=\"/dashboard\"");

    HttpResponse<String> admin = get("admin", "/");
    assertThat(admin.headers().firstValue("Location")).hasValue("/dashboard");
    HttpResponse<String> anonymous = get(null, "/dashboard");
    assertThat(anonymous.statusCode()).isEqualTo(302);
    assertThat(anonymous.headers().firstValue("Location")).hasValue("/login?next=%2Fdashboard");
  }
}
