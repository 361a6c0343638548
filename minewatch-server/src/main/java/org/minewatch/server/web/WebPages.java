package org.minewatch.server.web;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.minewatch.governance.Governance;
import org.minewatch.governance.Problem;
import org.minewatch.governance.access.Action;
import org.minewatch.governance.access.Policy;
import org.minewatch.governance.cases.CaseQuery;
import org.minewatch.governance.cases.CaseState;
import org.minewatch.governance.cases.CaseStore;
import org.minewatch.governance.cases.CaseViews;
import org.minewatch.governance.order.OrderStore;
import org.minewatch.governance.user.Role;
import org.minewatch.governance.user.User;

/**
 * The pages officers, regulators, grid staff and unit contacts work in: server-rendered from JTE
 * templates compiled at build time (escaped by default), in Chinese or English, with forms that
 * carry a CSRF token. Every page translates to {@link Governance} calls, like the JSON API.
 */
public final class WebPages {
  private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(ContentType.Html);

  /**
   * The largest form a page takes, refused before it is read: a tip-off's five files of 5 MiB and
   * its fields.
   */
  public static final long MAX_FORM = 26L << 20;

  private final Governance g;
  private final Csrf csrf = new Csrf();
  private final List<PageRoute> routes = new ArrayList<>();

  public WebPages(Governance g) {
    this.g = g;
    routes.add(new PageRoute(GET, "/login", null, this::loginForm));
    routes.add(new PageRoute(POST, "/login", null, this::login));
    routes.add(new PageRoute(POST, "/logout", Action.SESSION, this::logout));
    routes.add(new PageRoute(GET, "/lang", null, this::language));
    routes.add(new PageRoute(GET, "/", Action.READ_CASES, this::home));
    routes.add(new PageRoute(GET, "/cases", Action.READ_CASES, this::cases));
    routes.add(
        new PageRoute(
            GET,
            "/cases/export",
            Action.EXPORT,
            (ctx, p) -> org.minewatch.server.Api.exportCases(g, ctx, p.user())));
    routes.add(
        new PageRoute(
            GET, "/cases/{id}", Action.READ_CASES, (ctx, p) -> casePage(ctx, p, null, Map.of())));
    routes.add(new PageRoute(POST, "/cases/{id}/transition", Action.TRANSITION, this::transition));
    routes.add(new PageRoute(POST, "/cases/{id}/tasks", Action.MANAGE_TASKS, this::addTask));
    routes.add(new PageRoute(POST, "/cases/{id}/reports", Action.SELF_REPORT, this::report));
    routes.add(new PageRoute(POST, "/cases/{id}/orders", Action.ISSUE_ORDER, this::issueOrder));
    routes.add(new PageRoute(POST, "/cases/{id}/attachments", Action.ATTACH, this::attach));
    routes.add(
        new PageRoute(POST, "/orders/{id}/execution", Action.EXECUTE_ORDER, this::executeOrder));
    routes.add(new PageRoute(GET, "/orders/{id}/document", Action.READ_CASES, this::orderDocument));
    routes.add(new PageRoute(GET, "/attachments/{id}", Action.READ_CASES, this::attachment));
    routes.add(
        new PageRoute(
            POST, "/alerts/{id}/acknowledge", Action.ACKNOWLEDGE_ALERT, this::acknowledge));
  }

  public List<PageRoute> routes() {
    return List.copyOf(routes);
  }

  /** Adds the pages of another part (dashboard, tip-offs) to the same guard. */
  public void add(PageRoute r) {
    routes.add(r);
  }

  public Governance governance() {
    return g;
  }

  // ------------------------------------------------------------------ the guard

  /** Language, session, CSRF on every POST, policy: then the handler. */
  public void guard(PageRoute r, Context ctx) throws Exception {
    Messages t = Messages.of(language(ctx));
    String token = ctx.cookie(Sessions.SESSION);
    User user = token == null ? null : g.authenticate(token).orElse(null);
    String formToken;
    if (user != null) {
      formToken = csrf.forSession(token);
    } else {
      formToken = ctx.cookie(Sessions.CSRF);
      if (formToken == null || formToken.length() < 20) {
        formToken = Csrf.random();
        Sessions.set(ctx, Sessions.CSRF, formToken, null, true);
      }
    }
    String path = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
    Page page = new Page(t, user, formToken, path, null);
    try {
      if (POST.equals(r.method()) && ctx.contentLength() > MAX_FORM) {
        org.minewatch.server.ApiServer.refuseBody(ctx);
        error(ctx, page, 413, t.get("error.too_large"));
        return;
      }
      if (POST.equals(r.method()) && !Csrf.same(ctx.formParam("_csrf"), formToken)) {
        error(ctx, page, 403, t.get("error.csrf"));
        return;
      }
      org.minewatch.server.Inputs.refuseNul(ctx);
      if (r.action() != null) {
        if (user == null) {
          if (GET.equals(r.method())) {
            ctx.redirect(
                "/login?next="
                    + java.net.URLEncoder.encode(path, java.nio.charset.StandardCharsets.UTF_8));
          } else {
            error(ctx, page, 401, t.get("error.signin"));
          }
          return;
        }
        if (!Policy.may(user, r.action())) {
          g.refuse(user, r.action(), r.method() + " " + ctx.path());
        }
      }
      r.handler().handle(ctx, page);
    } catch (Problem p) {
      int status = org.minewatch.server.HttpStatuses.of(p);
      error(ctx, page, status, p.getMessage());
    }
  }

  static String language(Context ctx) {
    String q = ctx.queryParam("lang");
    if (q != null && Messages.LANGUAGES.contains(q)) {
      return q;
    }
    String c = ctx.cookie(Sessions.LANG);
    if (c != null && Messages.LANGUAGES.contains(c)) {
      return c;
    }
    String accept = ctx.header("Accept-Language");
    return accept != null && accept.toLowerCase(java.util.Locale.ROOT).startsWith("en")
        ? "en"
        : "zh";
  }

  public static void render(Context ctx, int status, String template, Map<String, Object> params) {
    StringOutput out = new StringOutput();
    ENGINE.render(template, params, out);
    ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
  }

  public static void error(Context ctx, Page page, int status, String message) {
    render(
        ctx,
        status,
        "error.jte",
        Map.of(
            "page",
            page,
            "status",
            status,
            "message",
            org.minewatch.server.Inputs.oneLine(message)));
  }

  static long id(Context ctx, String name) {
    try {
      return Long.parseLong(ctx.pathParam(name));
    } catch (NumberFormatException e) {
      throw Problem.notFound("no such page");
    }
  }

  // ------------------------------------------------------------------ sign-in

  private void loginForm(Context ctx, Page page) {
    if (page.user() != null) {
      ctx.redirect("/");
      return;
    }
    render(ctx, 200, "login.jte", Map.of("page", page, "error", "", "name", "", "next", next(ctx)));
  }

  private static String next(Context ctx) {
    String n = ctx.queryParam("next") != null ? ctx.queryParam("next") : ctx.formParam("next");
    // Only a local path: never an open redirect to another site.
    return n != null && n.startsWith("/") && !n.startsWith("//") && !n.contains("\\") ? n : "/";
  }

  private void login(Context ctx, Page page) {
    String name = ctx.formParam("user");
    String password = ctx.formParam("password");
    try {
      String token =
          g.login(name, password == null ? new char[0] : password.toCharArray(), ctx.ip());
      Sessions.set(ctx, Sessions.SESSION, token, org.minewatch.governance.user.Users.SESSION, true);
      Sessions.clear(ctx, Sessions.CSRF);
      ctx.redirect(next(ctx), io.javalin.http.HttpStatus.SEE_OTHER);
    } catch (Problem p) {
      String why =
          p.kind() == Problem.Kind.TOO_MANY
              ? page.t().get("login.throttled")
              : page.t().get("login.wrong");
      render(
          ctx,
          p.kind() == Problem.Kind.TOO_MANY ? 429 : 401,
          "login.jte",
          Map.of("page", page, "error", why, "name", name == null ? "" : name, "next", next(ctx)));
    }
  }

  private void logout(Context ctx, Page page) {
    g.logout(page.user(), ctx.cookie(Sessions.SESSION));
    Sessions.clear(ctx, Sessions.SESSION);
    ctx.redirect("/login", io.javalin.http.HttpStatus.SEE_OTHER);
  }

  private void language(Context ctx, Page page) {
    String to = ctx.queryParam("to");
    if (to != null && Messages.LANGUAGES.contains(to)) {
      Sessions.set(ctx, Sessions.LANG, to, Duration.ofDays(365), false);
    }
    String back = ctx.queryParam("back");
    ctx.redirect(
        back != null && back.startsWith("/") && !back.startsWith("//") && !back.contains("\\")
            ? back
            : "/");
  }

  private void home(Context ctx, Page page) {
    boolean dashboard = routes.stream().anyMatch(r -> r.path().equals("/dashboard"));
    ctx.redirect(
        dashboard && page.user().role() != Role.UNIT_CONTACT && page.may(Action.READ_STATS)
            ? "/dashboard"
            : "/cases");
  }

  // ------------------------------------------------------------------ cases

  private void cases(Context ctx, Page page) {
    Map<String, Object> p = new HashMap<>();
    p.put("page", page);
    p.put("filters", filters(ctx));
    try {
      CaseQuery q = org.minewatch.server.Api.query(ctx);
      CaseQuery sized = q.at(q.page(), ctx.queryParam("size") == null ? 25 : q.size());
      p.put("list", g.listCases(page.user(), sized));
      p.put("query", sized);
      p.put("filterError", null);
      render(ctx, 200, "cases.jte", p);
    } catch (Problem bad) {
      if (bad.kind() != Problem.Kind.INVALID) {
        throw bad;
      }
      // A filter that cannot be read lists nothing and says which (listing every case instead would
      // mislead).
      p.put("list", new CaseStore.Page(List.of(), 0, 1, 25));
      p.put("query", CaseQuery.all());
      p.put(
          "filterError",
          page.t().f("filter.invalid", page.t().label("filter", bad.field()), bad.getMessage()));
      render(ctx, 400, "cases.jte", p);
    }
  }

  /** The list's query parameters, to keep them in the filter form and the page links. */
  static Map<String, String> filters(Context ctx) {
    Map<String, String> f = new LinkedHashMap<>();
    for (String k :
        List.of(
            "status",
            "region",
            "priority",
            "unit",
            "category",
            "coin",
            "algorithm",
            "operation",
            "overdue",
            "sort")) {
      String v = ctx.queryParam(k);
      if (v != null && !v.isBlank()) {
        f.put(k, v);
      }
    }
    return f;
  }

  /**
   * The case page; after a refused form, {@code error} and the fields' messages are shown beside
   * the form.
   */
  private void casePage(Context ctx, Page page, String error, Map<String, String> fieldErrors) {
    long id = id(ctx, "id");
    CaseViews.Detail d = g.caseDetail(page.user(), id);
    Map<String, Object> p = new HashMap<>();
    p.put("page", page);
    p.put("d", d);
    p.put("error", error == null ? "" : error);
    p.put("fieldErrors", fieldErrors);
    p.put("policies", g.tariffPolicies().forRegion(d.summary().regionCode()));
    render(ctx, error == null ? 200 : 400, "case.jte", p);
  }

  /** Runs a form's change; a refusal naming a field shows beside it on the case page. */
  private void form(Context ctx, Page page, Runnable change) {
    try {
      change.run();
      ctx.redirect("/cases/" + id(ctx, "id"), io.javalin.http.HttpStatus.SEE_OTHER);
    } catch (Problem p) {
      if (p.kind() == Problem.Kind.INVALID || p.kind() == Problem.Kind.CONFLICT) {
        Map<String, String> fields = new HashMap<>();
        if (p.field() != null) {
          fields.put(p.field(), p.getMessage());
        }
        casePage(ctx, page, p.getMessage(), fields);
        return;
      }
      throw p;
    }
  }

  private void transition(Context ctx, Page page) {
    form(
        ctx,
        page,
        () -> {
          CaseState to;
          try {
            to = CaseState.parse(ctx.formParam("to"));
          } catch (IllegalArgumentException e) {
            throw Problem.invalid("to", e.getMessage());
          }
          Map<String, Object> inspection = null;
          if (ctx.formParam("devices") != null) {
            inspection = new LinkedHashMap<>();
            String devices = ctx.formParam("devices");
            try {
              inspection.put(
                  "devices",
                  devices == null || devices.isBlank() ? null : Long.parseLong(devices.strip()));
            } catch (NumberFormatException e) {
              throw Problem.invalid("inspection.devices", page.t().get("form.whole_number"));
            }
            inspection.put("mining", ctx.formParam("mining"));
            inspection.put("notes", ctx.formParam("notes"));
          }
          Integer days = null;
          String dd = ctx.formParam("deadline_days");
          if (dd != null && !dd.isBlank()) {
            try {
              days = Integer.parseInt(dd.strip());
            } catch (NumberFormatException e) {
              throw Problem.invalid("deadline_days", page.t().get("form.whole_number"));
            }
          }
          g.transition(
              page.user(),
              id(ctx, "id"),
              new CaseStore.TransitionRequest(to, ctx.formParam("note"), inspection, days));
        });
  }

  private void addTask(Context ctx, Page page) {
    form(
        ctx,
        page,
        () -> {
          String due = ctx.formParam("deadline");
          java.time.Instant deadline = null;
          if (due != null && !due.isBlank()) {
            try {
              deadline =
                  java.time.LocalDate.parse(due.strip())
                      .plusDays(1)
                      .atStartOfDay(Page.ZONE)
                      .toInstant();
            } catch (java.time.format.DateTimeParseException e) {
              throw Problem.invalid("deadline", page.t().get("form.date"));
            }
          }
          g.addTask(
              page.user(), id(ctx, "id"), ctx.formParam("title"), ctx.formParam("owner"), deadline);
        });
  }

  private void report(Context ctx, Page page) {
    form(
        ctx,
        page,
        () ->
            g.unitReport(page.user(), id(ctx, "id"), ctx.formParam("kind"), ctx.formParam("text")));
  }

  private void issueOrder(Context ctx, Page page) {
    form(
        ctx,
        page,
        () -> {
          Map<String, Object> f = new LinkedHashMap<>();
          for (String k :
              List.of(
                  "policy",
                  "metered_kwh",
                  "start",
                  "end",
                  "tariff_applied",
                  "tariff_due",
                  "deadline",
                  "note",
                  "grid_company",
                  "account",
                  "supply_address",
                  "effective_date",
                  "reason",
                  "at",
                  "place")) {
            String v = ctx.formParam(k);
            if (v != null && !v.isBlank()) {
              f.put(k, v.strip());
            }
          }
          for (String k : List.of("attendees", "topics")) {
            String v = ctx.formParam(k);
            if (v != null && !v.isBlank()) {
              f.put(k, List.of(v.strip().split("\\s*[\\n,，;；]\\s*")));
            }
          }
          g.issueOrder(
              page.user(), id(ctx, "id"), new OrderStore.Request(ctx.formParam("kind"), f));
        });
  }

  private void attach(Context ctx, Page page) throws Exception {
    UploadedFile file = ctx.uploadedFile("file");
    if (file == null || file.size() == 0) {
      form(
          ctx,
          page,
          () -> {
            throw Problem.invalid("file", page.t().get("form.file_missing"));
          });
      return;
    }
    byte[] bytes;
    try (var in = file.content()) {
      bytes = in.readNBytes(org.minewatch.governance.tipoff.TipOffs.MAX_ATTACHMENT_BYTES + 1);
    }
    form(ctx, page, () -> g.attach(page.user(), id(ctx, "id"), file.filename(), bytes));
  }

  private void executeOrder(Context ctx, Page page) {
    long order = id(ctx, "id");
    CaseViews.OrderView o = g.executeOrder(page.user(), order, ctx.formParam("note"));
    String back = ctx.formParam("case");
    ctx.redirect(
        back != null && back.matches("\\d+") ? "/cases/" + back : "/cases",
        io.javalin.http.HttpStatus.SEE_OTHER);
    if (o == null) {
      throw new IllegalStateException();
    }
  }

  private void orderDocument(Context ctx, Page page) {
    String format = "html".equals(ctx.queryParam("format")) ? "html" : "pdf";
    byte[] doc = g.orderDocument(page.user(), id(ctx, "id"), format, page.lang());
    if (format.equals("html")) {
      // The document is a page of its own with its own style element: relax the policy for styles
      // only.
      ctx.header(
          "Content-Security-Policy",
          "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
              + "frame-ancestors 'none'");
    }
    ctx.contentType(format.equals("pdf") ? "application/pdf" : "text/html; charset=utf-8")
        .result(doc);
  }

  private void attachment(Context ctx, Page page) {
    var f = g.attachment(page.user(), id(ctx, "id"));
    ctx.contentType(f.contentType())
        .header("Content-Disposition", "attachment; filename=\"attachment-" + id(ctx, "id") + "\"")
        .result(f.content());
  }

  private void acknowledge(Context ctx, Page page) {
    g.acknowledgeAlert(page.user(), id(ctx, "id"));
    String back = ctx.formParam("case");
    ctx.redirect(
        back != null && back.matches("\\d+") ? "/cases/" + back : "/cases",
        io.javalin.http.HttpStatus.SEE_OTHER);
  }
}
