package org.minewatch.server;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.minewatch.governance.Governance;
import org.minewatch.governance.Problem;
import org.minewatch.governance.access.Action;
import org.minewatch.governance.cases.CaseQuery;
import org.minewatch.governance.cases.CaseState;
import org.minewatch.governance.cases.CaseStore;
import org.minewatch.governance.order.OrderStore;
import org.minewatch.governance.stats.Exports;
import org.minewatch.governance.stats.Statistics;
import org.minewatch.governance.tipoff.TipOffs;
import org.minewatch.governance.user.Role;
import org.minewatch.governance.user.User;

/** The JSON API's routes: each translates HTTP to one {@link Governance} call and back. */
public final class Api {
  /** Findings per request are bounded by bytes here and by lines in Governance. */
  static final long INGEST_BODY = 8L << 20;

  static final long REGISTRY_BODY = 32L << 20;

  private final Governance g;
  private final RateLimiter tipoffLimit;

  Api(Governance g, RateLimiter tipoffLimit) {
    this.g = g;
    this.tipoffLimit = tipoffLimit;
  }

  List<Route> routes() {
    List<Route> r = new ArrayList<>();
    r.add(
        new Route(
            GET,
            "/health",
            null,
            0,
            "liveness",
            (ctx, u) -> Json.send(ctx, Map.of("status", "ok"))));
    r.add(
        new Route(
            GET,
            "/api/openapi.json",
            null,
            0,
            "this API described as OpenAPI 3.1",
            (ctx, u) -> Json.send(ctx, OpenApi.document(r))));
    r.add(
        new Route(
            POST,
            "/api/login",
            null,
            Route.SMALL,
            "sign in: {user, password} gives {token}",
            this::login));
    r.add(
        new Route(
            POST,
            "/api/logout",
            Action.SESSION,
            Route.SMALL,
            "end this session",
            (ctx, u) -> {
              g.logout(u, ApiServer.bearer(ctx));
              ctx.status(204);
            }));
    r.add(
        new Route(
            GET,
            "/api/me",
            Action.SESSION,
            0,
            "the signed-in user",
            (ctx, u) -> Json.send(ctx, u)));
    r.add(
        new Route(
            POST,
            "/api/findings",
            Action.INGEST,
            INGEST_BODY,
            "ingest a scan's JSON lines (minewatch scan -f jsonl); idempotent",
            (ctx, u) ->
                Json.send(
                    ctx, g.ingest(u, new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8)))));
    r.add(
        new Route(
            POST,
            "/api/registry",
            Action.IMPORT_REGISTRY,
            REGISTRY_BODY,
            "import a unit registry (CSV or JSON as for --registry); replaces the ranges of the units it names",
            (ctx, u) ->
                Json.send(
                    ctx,
                    g.importRegistry(
                        u,
                        new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8),
                        ctx.queryParam("source") == null
                            ? "upload by " + u.name()
                            : ctx.queryParam("source")))));
    r.add(
        new Route(
            GET,
            "/api/cases",
            Action.READ_CASES,
            0,
            "cases the user may see; filters status, region (or none), priority (list), unit, category (one or several), "
                + "coin, algorithm, operation, overdue; sort, page, size",
            (ctx, u) -> Json.send(ctx, g.listCases(u, query(ctx)))));
    r.add(
        new Route(
            GET,
            "/api/cases/export",
            Action.EXPORT,
            0,
            "the case list (全量名单, or 重点名单 with priority=list) as format=csv or xlsx",
            (ctx, u) -> exportCases(g, ctx, u)));
    r.add(
        new Route(
            GET,
            "/api/cases/{id}",
            Action.READ_CASES,
            0,
            "a case with its hosts, findings, evidence, history",
            (ctx, u) -> Json.send(ctx, g.caseDetail(u, id(ctx, "id")))));
    r.add(
        new Route(
            POST,
            "/api/cases/{id}/transitions",
            Action.TRANSITION,
            Route.SMALL,
            "move a case: {to, note, inspection, deadline_days}",
            this::transition));
    r.add(
        new Route(
            POST,
            "/api/cases/{id}/tasks",
            Action.MANAGE_TASKS,
            Route.SMALL,
            "add a task: {title, owner, deadline}",
            this::addTask));
    r.add(
        new Route(
            POST,
            "/api/cases/{id}/tasks/{task}/done",
            Action.MANAGE_TASKS,
            Route.SMALL,
            "complete a task",
            (ctx, u) -> {
              g.completeTask(u, id(ctx, "id"), id(ctx, "task"));
              Json.send(ctx, g.caseDetail(u, id(ctx, "id")).tasks());
            }));
    r.add(
        new Route(
            POST,
            "/api/cases/{id}/reports",
            Action.SELF_REPORT,
            Route.SMALL,
            "the unit's own report: {kind: self-inspection|rectification, text}",
            (ctx, u) -> {
              JsonNode b = Json.object(ctx);
              g.unitReport(
                  u, id(ctx, "id"), Json.text(b, "kind", true), Json.text(b, "text", true));
              Json.send(ctx, 201, Map.of("recorded", true));
            }));
    r.add(
        new Route(
            POST,
            "/api/cases/{id}/attachments",
            Action.ATTACH,
            6L << 20,
            "attach a file to a case (JPEG, PNG, PDF or text, at most 5 MiB): the raw bytes, ?name=FILE",
            (ctx, u) -> {
              String name = ctx.queryParam("name");
              Json.send(
                  ctx, 201, Map.of("id", g.attach(u, id(ctx, "id"), name, ctx.bodyAsBytes())));
            }));
    r.add(
        new Route(
            GET,
            "/api/attachments/{id}",
            Action.READ_CASES,
            0,
            "a case attachment's bytes",
            (ctx, u) -> {
              var f = g.attachment(u, id(ctx, "id"));
              ctx.contentType(f.contentType())
                  .header(
                      "Content-Disposition",
                      "attachment; filename=\"attachment-" + id(ctx, "id") + "\"")
                  .result(f.content());
            }));
    r.add(
        new Route(
            POST,
            "/api/cases/{id}/orders",
            Action.ISSUE_ORDER,
            Route.SMALL,
            "issue an order from a case in disposed: {kind: price|power-cut|summons, ...}",
            (ctx, u) -> {
              JsonNode b = Json.object(ctx);
              Map<String, Object> fields = Json.MAPPER.convertValue(b, Map.class);
              Json.send(
                  ctx,
                  201,
                  g.issueOrder(
                      u,
                      id(ctx, "id"),
                      new OrderStore.Request(Json.text(b, "kind", true), fields)));
            }));
    r.add(
        new Route(
            POST,
            "/api/orders/{id}/execution",
            Action.EXECUTE_ORDER,
            Route.SMALL,
            "confirm an order executed: {note}",
            (ctx, u) -> {
              JsonNode b =
                  ctx.contentLength() == 0 ? Json.MAPPER.createObjectNode() : Json.object(ctx);
              Json.send(ctx, g.executeOrder(u, id(ctx, "id"), Json.text(b, "note", false)));
            }));
    r.add(
        new Route(
            GET,
            "/api/orders/{id}/document",
            Action.READ_CASES,
            0,
            "the order's document: format=html|pdf, lang=zh|en",
            this::orderDocument));
    r.add(
        new Route(
            GET,
            "/api/tariff-policies",
            Action.READ_CASES,
            0,
            "the punitive price policies in force",
            (ctx, u) -> Json.send(ctx, g.tariffPolicies().all())));
    r.add(
        new Route(
            GET,
            "/api/alerts",
            Action.READ_CASES,
            0,
            "unacknowledged alerts (reopened cases)",
            (ctx, u) -> Json.send(ctx, g.alerts(u))));
    r.add(
        new Route(
            POST,
            "/api/alerts/{id}/acknowledge",
            Action.ACKNOWLEDGE_ALERT,
            Route.SMALL,
            "acknowledge an alert",
            (ctx, u) -> {
              g.acknowledgeAlert(u, id(ctx, "id"));
              ctx.status(204);
            }));
    r.add(
        new Route(
            POST,
            "/api/tipoffs",
            null,
            ApiServer.MAX_BODY,
            "file a tip-off (no sign-in): JSON or multipart form; gives the tracking code",
            this::fileTipOff));
    r.add(
        new Route(
            GET,
            "/api/tipoffs/{code}",
            null,
            0,
            "a tip-off's status by its tracking code",
            (ctx, u) ->
                Json.send(
                    ctx,
                    g.tipOffStatus(ctx.pathParam("code"))
                        .orElseThrow(
                            () -> Problem.notFound("no tip-off with this tracking code")))));
    r.add(
        new Route(
            GET,
            "/api/tipoffs",
            Action.LIST_TIPOFFS,
            0,
            "tip-offs for triage",
            (ctx, u) -> Json.send(ctx, g.listTipOffs(u))));
    r.add(
        new Route(
            POST,
            "/api/tipoffs/{code}/triage",
            Action.TRIAGE_TIPOFF,
            Route.SMALL,
            "triage a tip-off (by id): {action: link|open-case|reject, case_id, reason, region}",
            (ctx, u) -> {
              JsonNode b = Json.object(ctx);
              Json.send(
                  ctx,
                  g.triageTipOff(
                      u,
                      id(ctx, "code"),
                      Json.text(b, "action", true),
                      Json.longValue(b, "case_id"),
                      Json.text(b, "reason", false),
                      Json.text(b, "region", false)));
            }));
    r.add(
        new Route(
            GET,
            "/api/stats",
            Action.READ_STATS,
            0,
            "the report's figures and the case figures; format=json|csv",
            this::stats));
    r.add(
        new Route(
            GET,
            "/api/inventory",
            Action.EXPORT,
            0,
            "the weekly inventory (owner, scale, hash rate, power, status); format=json|csv|xlsx",
            (ctx, u) -> table(ctx, g.inventory(u))));
    r.add(
        new Route(
            GET,
            "/api/audit/verify",
            Action.READ_AUDIT,
            0,
            "recompute the audit chain",
            (ctx, u) -> Json.send(ctx, g.verifyAudit(u))));
    r.add(
        new Route(
            GET,
            "/api/audit",
            Action.READ_AUDIT,
            0,
            "the latest audit entries (limit)",
            (ctx, u) ->
                Json.send(
                    ctx,
                    g.auditEntries(
                        u,
                        ctx.queryParam("limit") == null
                            ? 100
                            : intParam(ctx, "limit", 1, 10_000)))));
    r.add(
        new Route(
            GET,
            "/api/users",
            Action.MANAGE_USERS,
            0,
            "users",
            (ctx, u) -> Json.send(ctx, g.listUsers(u))));
    r.add(
        new Route(
            POST,
            "/api/users",
            Action.MANAGE_USERS,
            Route.SMALL,
            "add a user: {name, role, region, unit, password}; a sensor gets its token",
            this::addUser));
    r.add(
        new Route(
            POST,
            "/api/users/{name}/disable",
            Action.MANAGE_USERS,
            Route.SMALL,
            "disable a user",
            (ctx, u) -> {
              g.disableUser(u, ctx.pathParam("name"));
              ctx.status(204);
            }));
    return List.copyOf(r);
  }

  private void login(Context ctx, User none) throws Exception {
    JsonNode b = Json.object(ctx);
    String name = Json.text(b, "user", true);
    String password = Json.text(b, "password", true);
    Json.send(ctx, Map.of("token", g.login(name, password.toCharArray(), ctx.ip())));
  }

  private void transition(Context ctx, User u) throws Exception {
    JsonNode b = Json.object(ctx);
    CaseState to;
    try {
      to = CaseState.parse(Json.text(b, "to", true));
    } catch (IllegalArgumentException e) {
      throw Problem.invalid("to", e.getMessage());
    }
    Json.send(
        ctx,
        g.transition(
            u,
            id(ctx, "id"),
            new CaseStore.TransitionRequest(
                to,
                Json.text(b, "note", false),
                Json.map(b, "inspection"),
                Json.integer(b, "deadline_days"))));
  }

  private void addTask(Context ctx, User u) throws Exception {
    JsonNode b = Json.object(ctx);
    String deadline = Json.text(b, "deadline", false);
    Instant due;
    try {
      due = deadline == null ? null : Instant.parse(deadline);
    } catch (DateTimeParseException e) {
      throw Problem.invalid("deadline", "an ISO-8601 instant such as 2026-12-31T09:00:00Z");
    }
    long id =
        g.addTask(u, id(ctx, "id"), Json.text(b, "title", true), Json.text(b, "owner", true), due);
    Json.send(ctx, 201, Map.of("id", id));
  }

  private void orderDocument(Context ctx, User u) {
    String format = ctx.queryParam("format") == null ? "pdf" : ctx.queryParam("format");
    String lang = ctx.queryParam("lang") == null ? "zh" : ctx.queryParam("lang");
    byte[] doc = g.orderDocument(u, id(ctx, "id"), format, lang);
    ctx.contentType(format.equals("pdf") ? "application/pdf" : "text/html; charset=utf-8")
        .result(doc);
  }

  private void fileTipOff(Context ctx, User none) throws Exception {
    if (!tipoffLimit.tryAcquire(ctx.ip())) {
      throw Problem.tooMany(
          "too many tip-offs from this address; please try again in a few minutes");
    }
    TipOffs.Submission s;
    String type = ctx.contentType() == null ? "" : ctx.contentType();
    if (type.startsWith("multipart/form-data")) {
      List<TipOffs.Attachment> files = new ArrayList<>();
      for (UploadedFile f : ctx.uploadedFiles("attachments")) {
        if (f.size() == 0) {
          continue;
        }
        if (f.size() > TipOffs.MAX_ATTACHMENT_BYTES) {
          throw Problem.tooLarge("attachment " + f.filename() + " is larger than 5 MiB");
        }
        try (var in = f.content()) {
          files.add(new TipOffs.Attachment(f.filename(), in.readAllBytes()));
        }
      }
      s =
          new TipOffs.Submission(
              ctx.formParam("category"),
              ctx.formParam("address"),
              ctx.formParam("unit"),
              ctx.formParam("description"),
              ctx.formParam("contact"),
              files);
    } else {
      JsonNode b = Json.object(ctx);
      List<TipOffs.Attachment> files = new ArrayList<>();
      JsonNode a = b.get("attachments");
      if (a != null && !a.isNull()) {
        if (!a.isArray()) {
          throw Problem.invalid("attachments", "an array of {name, data (base64)}");
        }
        for (JsonNode f : a) {
          String data = Json.text(f, "data", true);
          try {
            files.add(
                new TipOffs.Attachment(
                    Json.text(f, "name", false), Base64.getDecoder().decode(data)));
          } catch (IllegalArgumentException e) {
            throw Problem.invalid("attachments.data", "not base64");
          }
        }
      }
      s =
          new TipOffs.Submission(
              Json.text(b, "category", true),
              Json.text(b, "address", false),
              Json.text(b, "unit", false),
              Json.text(b, "description", false),
              Json.text(b, "contact", false),
              files);
    }
    Json.send(ctx, 201, Map.of("code", g.fileTipOff(s, ctx.ip()), "status", "received"));
  }

  /** The case list as CSV or XLSX: for the API and the pages alike. */
  public static void exportCases(Governance g, Context ctx, User u) throws Exception {
    CaseQuery q = query(ctx);
    String title = "list".equals(q.priority()) ? "priority-list" : "all-cases";
    table(ctx, g.exportCases(u, q.at(1, CaseQuery.MAX_SIZE), title));
  }

  private void stats(Context ctx, User u) throws Exception {
    Statistics.Stats s = g.stats(u);
    if ("csv".equals(ctx.queryParam("format"))) {
      List<List<Object>> rows = new ArrayList<>();
      var rep = s.report();
      rows.add(Arrays.asList("mining_hosts", null, rep.miningHosts()));
      rows.add(Arrays.asList("units", null, rep.units()));
      rows.add(Arrays.asList("share_gov_univ_enterprise", null, rep.shareGovUnivEnterprise()));
      rows.add(Arrays.asList("compromised", null, rep.compromised()));
      rows.add(Arrays.asList("deliberate", null, rep.deliberate()));
      rows.add(Arrays.asList("undetermined", null, rep.undetermined()));
      rows.add(Arrays.asList("kwh_per_day", "low", rep.kwhPerDay()[0]));
      rows.add(Arrays.asList("kwh_per_day", "best", rep.kwhPerDay()[1]));
      rows.add(Arrays.asList("kwh_per_day", "high", rep.kwhPerDay()[2]));
      rows.add(Arrays.asList("saved_kwh_per_day", "low", s.savedKwhPerDay()[0]));
      rows.add(Arrays.asList("saved_kwh_per_day", "best", s.savedKwhPerDay()[1]));
      rows.add(Arrays.asList("saved_kwh_per_day", "high", s.savedKwhPerDay()[2]));
      rep.byCategory().forEach((k, v) -> rows.add(Arrays.asList("by_category", k, v)));
      rep.byRegion().forEach((k, v) -> rows.add(Arrays.asList("by_region", k, v)));
      rep.byCoin().forEach((k, v) -> rows.add(Arrays.asList("by_coin", k, v)));
      s.casesByState().forEach((k, v) -> rows.add(Arrays.asList("cases_by_state", k, v)));
      rows.add(Arrays.asList("open_cases", null, s.openCases()));
      rows.add(Arrays.asList("overdue_cases", null, s.overdueCases()));
      rows.add(Arrays.asList("priority_list_last_week", "listed", s.clearance().listed()));
      rows.add(Arrays.asList("priority_list_last_week", "cleared", s.clearance().cleared()));
      ctx.contentType("text/csv; charset=utf-8")
          .result(Exports.csv(new Exports.Table("stats", List.of("figure", "key", "value"), rows)));
      return;
    }
    Json.send(ctx, s);
  }

  public static void table(Context ctx, Exports.Table t) throws Exception {
    String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
    switch (format) {
      case "csv" ->
          ctx.contentType("text/csv; charset=utf-8")
              .header("Content-Disposition", "attachment; filename=\"" + t.title() + ".csv\"")
              .result(Exports.csv(t));
      case "xlsx" -> {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Exports.xlsx(t, out);
        ctx.contentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            .header("Content-Disposition", "attachment; filename=\"" + t.title() + ".xlsx\"")
            .result(out.toByteArray());
      }
      case "json" -> {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (List<Object> row : t.rows()) {
          Map<String, Object> m = new LinkedHashMap<>();
          for (int i = 0; i < t.header().size(); i++) {
            m.put(t.header().get(i), row.get(i));
          }
          rows.add(m);
        }
        Json.send(ctx, rows);
      }
      default -> throw Problem.invalid("format", "one of json, csv, xlsx");
    }
  }

  private void addUser(Context ctx, User u) throws Exception {
    JsonNode b = Json.object(ctx);
    Role role;
    try {
      role = Role.parse(Json.text(b, "role", true));
    } catch (IllegalArgumentException e) {
      throw Problem.invalid("role", e.getMessage());
    }
    String password = Json.text(b, "password", false);
    String token =
        g.addUser(
            u,
            Json.text(b, "name", true),
            role,
            Json.text(b, "region", false),
            Json.text(b, "unit", false),
            password == null ? null : password.toCharArray());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", Json.text(b, "name", true));
    if (token != null) {
      out.put("token", token);
    }
    Json.send(ctx, 201, out);
  }

  public static CaseQuery query(Context ctx) {
    List<CaseState> states = new ArrayList<>();
    String status = ctx.queryParam("status");
    if (status != null && !status.isBlank()) {
      for (String s : status.split(",")) {
        try {
          states.add(CaseState.parse(s));
        } catch (IllegalArgumentException e) {
          throw Problem.invalid("status", e.getMessage());
        }
      }
    }
    // A filter left empty (as the list page's form sends it) is no filter.
    String overdue = blankToNull(ctx.queryParam("overdue"));
    if (overdue != null && !overdue.equals("true") && !overdue.equals("false")) {
      throw Problem.invalid("overdue", "true or false");
    }
    return new CaseQuery(
        states,
        blankToNull(ctx.queryParam("region")),
        blankToNull(ctx.queryParam("priority")),
        blankToNull(ctx.queryParam("unit")),
        blankToNull(ctx.queryParam("category")),
        blankToNull(ctx.queryParam("coin")),
        overdue == null ? null : Boolean.valueOf(overdue),
        blankToNull(ctx.queryParam("sort")),
        ctx.queryParam("page") == null ? 1 : intParam(ctx, "page", 1, Integer.MAX_VALUE),
        ctx.queryParam("size") == null ? 50 : intParam(ctx, "size", 1, CaseQuery.MAX_SIZE),
        blankToNull(ctx.queryParam("algorithm")),
        blankToNull(ctx.queryParam("operation")));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  static int intParam(Context ctx, String name, int min, int max) {
    try {
      int v = Integer.parseInt(ctx.queryParam(name));
      if (v < min || v > max) {
        throw Problem.invalid(name, "must be " + min + " to " + max);
      }
      return v;
    } catch (NumberFormatException e) {
      throw Problem.invalid(name, "must be a whole number");
    }
  }

  static long id(Context ctx, String param) {
    try {
      return Long.parseLong(ctx.pathParam(param));
    } catch (NumberFormatException e) {
      throw Problem.invalid(param, "\"" + ctx.pathParam(param) + "\" is not a number");
    }
  }
}
