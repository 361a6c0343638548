package org.minewatch.server.web;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.minewatch.governance.Governance;
import org.minewatch.governance.Problem;
import org.minewatch.governance.access.Action;
import org.minewatch.governance.tipoff.TipOffs;
import org.minewatch.server.RateLimiter;

/**
 * Tip-offs (举报) in the browser. The public side needs no sign-in: a form (category, address, unit,
 * description, optional contact, files), a confirmation with the tracking code, and a status page
 * where the code is entered. The officers' side lists tip-offs and triages them: link to a case,
 * open a case, or reject with a reason. Every page goes through the {@link WebPages} guard (CSRF,
 * session, policy); the form's limits are those of {@link TipOffs}, checked here first so that each
 * message is in the page's language and beside its field, and the rate limit is the JSON API's own
 * limiter, so one client address has one budget for both.
 */
public final class TipOffPages {
  /**
   * The public form's fields in the order the page shows them (and the error summary lists them).
   */
  static final List<String> FIELDS =
      List.of("category", "address", "unit", "description", "contact", "attachments");

  private static final Map<String, Integer> MAX_LENGTH =
      Map.of("address", 1000, "unit", 500, "description", TipOffs.MAX_DESCRIPTION, "contact", 500);

  /** The longest rejection reason a form takes. */
  static final int MAX_REASON = 2000;

  private final Governance g;
  private final RateLimiter limit;

  private TipOffPages(Governance g, RateLimiter limit) {
    this.g = g;
    this.limit = limit;
  }

  /**
   * Adds the tip-off pages to the console's guard; {@code limit} is the JSON API's tip-off limiter.
   */
  public static void addTo(WebPages pages, RateLimiter limit) {
    TipOffPages t = new TipOffPages(pages.governance(), limit);
    pages.add(new PageRoute(GET, "/tipoff", null, t::form));
    pages.add(new PageRoute(POST, "/tipoff", null, t::file));
    pages.add(new PageRoute(GET, "/tipoff/status", null, t::status));
    pages.add(
        new PageRoute(
            GET,
            "/tipoffs",
            Action.LIST_TIPOFFS,
            (ctx, p) -> t.list(ctx, p, 200, "", Map.of(), Map.of())));
    pages.add(new PageRoute(POST, "/tipoffs/{id}/triage", Action.TRIAGE_TIPOFF, t::triage));
    pages.add(
        new PageRoute(GET, "/tipoffs/{id}/attachments/{n}", Action.LIST_TIPOFFS, t::attachment));
  }

  /** What the tipster typed, shown again after a refusal (files cannot be kept by a page). */
  public record Form(
      String category, String address, String unit, String description, String contact) {
    static final Form EMPTY = new Form("", "", "", "", "");

    public boolean is(String c) {
      return c.equals(category);
    }
  }

  /** A tip-off's status as the tracking code shows it. */
  public record Status(String code, String status, Instant received, Instant updated) {}

  // ------------------------------------------------------------------ the public form

  private void form(Context ctx, Page page) {
    renderForm(ctx, page, 200, Form.EMPTY, Map.of(), "", false);
  }

  private static void renderForm(
      Context ctx,
      Page page,
      int status,
      Form form,
      Map<String, String> errors,
      String notice,
      boolean filesDropped) {
    Map<String, Object> p = new HashMap<>();
    p.put("page", page);
    p.put("form", form);
    p.put("errors", errors);
    p.put("notice", notice);
    p.put("filesDropped", filesDropped);
    WebPages.render(ctx, status, "tipoff.jte", p);
  }

  private void file(Context ctx, Page page) throws IOException {
    Messages t = page.t();
    Form form =
        new Form(
            text(ctx, "category"),
            text(ctx, "address"),
            text(ctx, "unit"),
            text(ctx, "description").replace("\r\n", "\n"),
            text(ctx, "contact"));
    Map<String, String> errors = new LinkedHashMap<>();
    String category = form.category().strip().toLowerCase(Locale.ROOT);
    if (!TipOffs.CATEGORIES.contains(category)) {
      errors.put("category", t.get("tipoff.error.category"));
    }
    required(errors, t, "address", form.address());
    length(errors, t, "unit", form.unit());
    required(errors, t, "description", form.description());
    length(errors, t, "contact", form.contact());
    boolean tooLarge = false;
    List<TipOffs.Attachment> files = new ArrayList<>();
    List<UploadedFile> uploaded =
        ctx.uploadedFiles("attachments").stream().filter(f -> f.size() > 0).toList();
    if (uploaded.size() > TipOffs.MAX_ATTACHMENTS) {
      errors.put(
          "attachments",
          t.f("tipoff.error.too_many_files", TipOffs.MAX_ATTACHMENTS, uploaded.size()));
      tooLarge = true;
    } else {
      for (UploadedFile f : uploaded) {
        String name =
            f.filename() == null || f.filename().isBlank() ? t.get("tipoff.file") : f.filename();
        if (f.size() > TipOffs.MAX_ATTACHMENT_BYTES) {
          errors.putIfAbsent("attachments", t.f("tipoff.error.file_too_large", name));
          tooLarge = true;
          continue;
        }
        byte[] bytes;
        try (InputStream in = f.content()) {
          bytes = in.readNBytes(TipOffs.MAX_ATTACHMENT_BYTES + 1);
        }
        if (TipOffs.contentType(bytes) == null) {
          errors.putIfAbsent("attachments", t.f("tipoff.error.file_type", name));
        }
        files.add(new TipOffs.Attachment(f.filename(), bytes));
      }
    }
    if (!errors.isEmpty()) {
      renderForm(ctx, page, tooLarge ? 413 : 400, form, errors, "", !uploaded.isEmpty());
      return;
    }
    // Only a complete tip-off spends the address's budget: a tipster correcting a field is not
    // throttled.
    if (!limit.tryAcquire(ctx.ip())) {
      renderForm(
          ctx,
          page,
          429,
          form,
          Map.of(),
          t.f("tipoff.error.rate", limit.limit(), limit.window().toMinutes()),
          !uploaded.isEmpty());
      return;
    }
    String code;
    try {
      code =
          g.fileTipOff(
              new TipOffs.Submission(
                  category, form.address(), form.unit(), form.description(), form.contact(), files),
              ctx.ip());
    } catch (Problem p) {
      if (p.kind() != Problem.Kind.INVALID && p.kind() != Problem.Kind.TOO_LARGE) {
        throw p;
      }
      // The checks above mirror TipOffs; should they ever differ, the domain's word shows beside
      // its field.
      String field = p.field() != null && FIELDS.contains(p.field()) ? p.field() : "attachments";
      renderForm(
          ctx,
          page,
          p.kind() == Problem.Kind.TOO_LARGE ? 413 : 400,
          form,
          Map.of(field, p.getMessage()),
          "",
          !uploaded.isEmpty());
      return;
    }
    WebPages.render(ctx, 200, "tipoffSent.jte", Map.of("page", page, "code", code));
  }

  private static String text(Context ctx, String name) {
    String v = ctx.formParam(name);
    return v == null ? "" : v;
  }

  private static void required(Map<String, String> errors, Messages t, String field, String value) {
    if (value.isBlank()) {
      errors.put(field, t.get("tipoff.error." + field + "_required"));
    } else {
      length(errors, t, field, value);
    }
  }

  private static void length(Map<String, String> errors, Messages t, String field, String value) {
    int max = MAX_LENGTH.get(field);
    if (value.length() > max) {
      errors.put(field, t.f("tipoff.error.too_long", max, value.length()));
    }
  }

  /** The element a summary entry links to: the field, or the first choice of the category. */
  public static String anchor(String field) {
    return field.equals("category") ? "category-" + TipOffs.CATEGORIES.get(0) : field;
  }

  /** The ids that describe a field: its hint and, after a refusal, its message. */
  public static String describedBy(String field, Map<String, String> errors) {
    return field + "-hint" + (errors.containsKey(field) ? " " + field + "-error" : "");
  }

  // ------------------------------------------------------------------ status by tracking code

  private void status(Context ctx, Page page) {
    String raw = ctx.queryParam("code");
    Map<String, Object> p = new HashMap<>();
    p.put("page", page);
    p.put("code", raw == null ? "" : raw.strip());
    p.put("error", "");
    p.put("result", null);
    int status = 200;
    if (raw != null) {
      String code = normalise(raw);
      Optional<Map<String, Object>> found =
          code.matches("TO-[0-9A-Z]{20}") ? g.tipOffStatus(code) : Optional.empty();
      if (raw.isBlank()) {
        p.put("error", page.t().get("tipoff.status.error.required"));
        status = 400;
      } else if (!code.matches("TO-[0-9A-Z]{20}")) {
        p.put("error", page.t().get("tipoff.status.error.format"));
        status = 400;
      } else if (found.isEmpty()) {
        p.put("error", page.t().get("tipoff.status.error.unknown"));
        status = 404;
      } else {
        Map<String, Object> m = found.get();
        p.put("code", code);
        p.put(
            "result",
            new Status(
                code,
                (String) m.get("status"),
                Instant.parse((String) m.get("received_at")),
                Instant.parse((String) m.get("updated_at"))));
      }
    }
    WebPages.render(ctx, status, "tipoffStatus.jte", p);
  }

  /** {@code to-abcd…}, with spaces, or without the prefix: the code as it is stored. */
  static String normalise(String raw) {
    String c = raw.replaceAll("[\\s\\u3000]", "").toUpperCase(Locale.ROOT);
    return c.startsWith("TO-") || c.length() != 20 ? c : "TO-" + c;
  }

  // ------------------------------------------------------------------ officers

  /**
   * The tip-offs (newest first), optionally of one status; {@code errors} and {@code values} are
   * keyed {@code ID:field}, for the triage form of the tip-off they belong to.
   */
  private void list(
      Context ctx,
      Page page,
      int status,
      String notice,
      Map<String, String> errors,
      Map<String, String> values) {
    String only = ctx.queryParam("status");
    List<TipOffs.View> all = g.listTipOffs(page.user());
    List<TipOffs.View> shown =
        only == null || only.isBlank()
            ? all
            : all.stream().filter(v -> v.status().equals(only)).toList();
    Map<String, Object> p = new HashMap<>();
    p.put("page", page);
    p.put("list", shown);
    p.put("total", all.size());
    p.put("filter", only == null ? "" : only);
    p.put("notice", notice);
    p.put("errors", errors);
    p.put("values", values);
    p.put("showContact", page.may(Action.READ_TIPOFF_CONTACT));
    p.put("canTriage", page.may(Action.TRIAGE_TIPOFF));
    WebPages.render(ctx, status, "tipoffs.jte", p);
  }

  private void triage(Context ctx, Page page) {
    Messages t = page.t();
    long id = WebPages.id(ctx, "id");
    String action = text(ctx, "action");
    Map<String, String> errors = new LinkedHashMap<>();
    Map<String, String> values = new HashMap<>();
    Long caseId = null;
    String region = null;
    String reason = null;
    String field;
    switch (action) {
      case "link" -> {
        field = "case";
        String c = text(ctx, "case").strip();
        values.put(id + ":case", c);
        if (c.isEmpty()) {
          errors.put(id + ":case", t.get("tipoffs.error.case_required"));
        } else if (c.matches("\\d{1,18}")) {
          caseId = Long.parseLong(c);
        } else {
          caseId = g.caseIdByNumber(page.user(), c).orElse(null);
          if (caseId == null) {
            errors.put(id + ":case", t.f("tipoffs.error.case_unknown", c));
          }
        }
      }
      case "open-case" -> {
        field = "region";
        region = text(ctx, "region").strip();
        values.put(id + ":region", region);
        if (region.isEmpty()) {
          region = null;
          if (page.user().regionCode() == null) {
            errors.put(id + ":region", t.get("tipoffs.error.region_required"));
          }
        } else if (!region.matches("[1-9]\\d{5}")) {
          errors.put(id + ":region", t.get("tipoffs.error.region_format"));
        }
      }
      case "reject" -> {
        field = "reason";
        reason = text(ctx, "reason").strip();
        values.put(id + ":reason", reason);
        if (reason.isEmpty()) {
          errors.put(id + ":reason", t.get("tipoffs.error.reason_required"));
        } else if (reason.length() > MAX_REASON) {
          errors.put(id + ":reason", t.f("tipoff.error.too_long", MAX_REASON, reason.length()));
        }
      }
      default -> {
        list(ctx, page, 400, t.get("tipoffs.error.action"), Map.of(), Map.of());
        return;
      }
    }
    if (!errors.isEmpty()) {
      list(ctx, page, 400, "", errors, values);
      return;
    }
    try {
      g.triageTipOff(page.user(), id, action, caseId, reason, region);
    } catch (Problem p) {
      switch (p.kind()) {
        case INVALID ->
            errors.put(
                id + ":" + field,
                field.equals("region") ? t.get("tipoffs.error.region_format") : p.getMessage());
        case FORBIDDEN -> errors.put(id + ":" + field, t.get("tipoffs.error.outside_region"));
        case NOT_FOUND ->
            errors.put(
                id + ":" + field, t.f("tipoffs.error.case_unknown", values.get(id + ":case")));
        case CONFLICT -> {
          list(ctx, page, 409, t.f("tipoffs.error.already", id), Map.of(), Map.of());
          return;
        }
        default -> throw p;
      }
      int status =
          switch (p.kind()) {
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            default -> 400;
          };
      list(ctx, page, status, "", errors, values);
      return;
    }
    ctx.redirect("/tipoffs#tipoff-" + id, HttpStatus.SEE_OTHER);
  }

  private void attachment(Context ctx, Page page) {
    long id = WebPages.id(ctx, "id");
    int n = (int) Math.min(Integer.MAX_VALUE, WebPages.id(ctx, "n"));
    TipOffs.File f = g.tipOffAttachment(page.user(), id, n);
    String ext =
        switch (f.contentType()) {
          case "image/jpeg" -> ".jpg";
          case "image/png" -> ".png";
          case "application/pdf" -> ".pdf";
          default -> ".txt";
        };
    String name = f.name() == null ? "" : f.name().replaceAll("[\\p{Cntrl}/\\\\\"]", "_");
    ctx.contentType(
            f.contentType().equals("text/plain") ? "text/plain; charset=utf-8" : f.contentType())
        .header(
            "Content-Disposition",
            "attachment; filename=\"tipoff-"
                + id
                + "-"
                + n
                + ext
                + "\"; filename*=UTF-8''"
                + URLEncoder.encode(
                        name.isBlank() ? "tipoff-" + id + "-" + n + ext : name,
                        StandardCharsets.UTF_8)
                    .replace("+", "%20")
                    .replace("*", "%2A"))
        .result(f.content());
  }
}
