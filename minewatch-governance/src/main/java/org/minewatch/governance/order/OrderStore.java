package org.minewatch.governance.order;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.minewatch.governance.Problem;
import org.minewatch.governance.cases.CaseState;
import org.minewatch.governance.cases.CaseStore;
import org.minewatch.governance.cases.CaseViews;
import org.minewatch.governance.stats.Statistics;
import org.minewatch.governance.store.Times;
import org.minewatch.governance.user.Role;
import org.minewatch.governance.user.User;

/**
 * Orders of a case in 处置 (disposed): numbered, stored with the facts their document shows (so the
 * document renders the same later), and confirmed executed by the role that executes them: the grid
 * company for price and power-cut orders, the regional officer for a summons.
 */
public final class OrderStore {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * The largest kWh or tariff an order takes: ten billion kWh is ten times a year of the largest
   * farms.
   */
  static final BigDecimal MAX_INPUT = new BigDecimal("10000000000");

  /** The largest amount the orders table holds (numeric(18, 2)). */
  static final BigDecimal MAX_AMOUNT = new BigDecimal("9999999999999999.99");

  private final Clock clock;
  private final CaseStore cases;
  private final TariffPolicies policies;

  public OrderStore(Clock clock, CaseStore cases, TariffPolicies policies) {
    this.clock = clock;
    this.cases = cases;
    this.policies = policies;
  }

  /**
   * An order as requested through the API: {@code kind} and the fields of that kind (see
   * docs/governance.md).
   */
  public record Request(String kind, Map<String, Object> fields) {}

  public TariffPolicies policies() {
    return policies;
  }

  public CaseViews.OrderView issue(Handle h, long caseId, User actor, Request r) {
    Map<String, Object> c =
        h.createQuery(
                "select c.*, u.name as unit_name, u.code as unit_code, u.category as unit_category, "
                    + "u.region_code as unit_region_code, u.region as unit_region, u.address as unit_address "
                    + "from cases c left join units u on u.id = c.unit_id where c.id = :c")
            .bind("c", caseId)
            .mapToMap()
            .findFirst()
            .orElseThrow(() -> Problem.notFound("no case " + caseId));
    if (CaseState.parse((String) c.get("state")) != CaseState.DISPOSED) {
      throw Problem.conflict(
          "orders are issued from a case in disposed (处置); case "
              + c.get("number")
              + " is "
              + c.get("state"));
    }
    if (c.get("unit_name") == null || c.get("unit_region_code") == null) {
      throw Problem.conflict(
          "case " + c.get("number") + " has no unit with a region: attribute its address first");
    }
    Map<String, Object> f = r.fields() == null ? Map.of() : r.fields();
    String kindText = r.kind() == null ? "" : r.kind();
    OrderKind kind =
        switch (kindText) {
          case "price" -> OrderKind.PRICE;
          case "power-cut" -> OrderKind.POWER_CUT;
          case "summons" -> OrderKind.SUMMONS;
          default -> throw Problem.invalid("kind", "one of price, power-cut, summons");
        };
    double[] kwh =
        c.get("kwh_best") == null
            ? null
            : new double[] {
              ((Number) c.get("kwh_low")).doubleValue(),
              ((Number) c.get("kwh_best")).doubleValue(),
              ((Number) c.get("kwh_high")).doubleValue()
            };
    var now = clock.instant();
    long n =
        h.createQuery("select next_value from counters where name = 'order'")
            .mapTo(Long.class)
            .one();
    h.createUpdate("update counters set next_value = :n where name = 'order'")
        .bind("n", n + 1)
        .execute();
    String number =
        "MW-ORD-" + now.atOffset(ZoneOffset.UTC).getYear() + "-" + String.format("%06d", n);
    PriceComputation price = null;
    OrderFacts.PowerCut cut = null;
    OrderFacts.Summons summons = null;
    try {
      switch (kind) {
        case PRICE -> {
          String id = text(f, "policy", true);
          TariffPolicy p =
              policies
                  .find(id)
                  .orElseThrow(
                      () ->
                          Problem.invalid(
                              "policy",
                              "no policy \""
                                  + id
                                  + "\"; known: "
                                  + String.join(
                                      ", ",
                                      policies.all().stream().map(TariffPolicy::id).toList())));
          BigDecimal metered = decimal(f, "metered_kwh");
          LocalDate start = date(f, "start");
          LocalDate end = date(f, "end");
          if (end == null) {
            end = now.atZone(Statistics.ZONE).toLocalDate();
          }
          PriceInput in;
          if (metered != null) {
            in = PriceInput.metered(metered, start, end);
          } else if (kwh != null) {
            in = PriceInput.estimated(kwh[0], kwh[1], kwh[2], start, end);
          } else {
            throw Problem.invalid(
                "metered_kwh", "the case has no energy estimate: enter the metered kWh");
          }
          in = in.withTariffs(decimal(f, "tariff_applied"), decimal(f, "tariff_due"));
          price = PriceCalculator.compute(p, in);
          if (price.amountHigh().compareTo(MAX_AMOUNT) > 0) {
            throw Problem.invalid(
                "price",
                "the amount, "
                    + price.amountHigh().toPlainString()
                    + " yuan, is more than an "
                    + "order holds ("
                    + MAX_AMOUNT.toPlainString()
                    + "); check the kWh"
                    + (metered == null ? " of the case's estimate, or enter the metered kWh" : ""));
          }
        }
        case POWER_CUT ->
            cut =
                new OrderFacts.PowerCut(
                    text(f, "grid_company", false),
                    text(f, "account", true),
                    text(f, "supply_address", true),
                    date(f, "effective_date"),
                    text(f, "reason", true));
        case SUMMONS ->
            summons =
                new OrderFacts.Summons(
                    dateTime(f, "at"),
                    text(f, "place", true),
                    strings(f, "attendees"),
                    strings(f, "topics"));
      }
      List<String> hosts =
          h.createQuery("select host from case_hosts where case_id = :c order by host")
              .bind("c", caseId)
              .mapTo(String.class)
              .list();
      List<String> evidence = new ArrayList<>();
      for (CaseViews.FindingView v : cases.detail(h, caseId, actor, false).findings()) {
        evidence.addAll(v.evidence());
      }
      String assessment = (String) c.get("assessment");
      String reasons = (String) c.get("assessment_reasons");
      OrderFacts facts =
          new OrderFacts(
              number,
              kind,
              now.atOffset(ZoneOffset.ofHours(8)),
              new OrderFacts.Official(actor.name(), actor.role().label()),
              (String) c.get("number"),
              new OrderFacts.Unit(
                  (String) c.get("unit_name"),
                  (String) c.get("unit_code"),
                  (String) c.get("unit_category"),
                  (String) c.get("unit_region_code"),
                  (String) c.get("unit_region"),
                  (String) c.get("unit_address")),
              hosts,
              evidence,
              new OrderFacts.Assessment(
                  assessment == null
                      ? OrderFacts.Verdict.UNDETERMINED
                      : OrderFacts.Verdict.valueOf(assessment.toUpperCase(java.util.Locale.ROOT)),
                  reasons == null || reasons.isEmpty() ? List.of() : List.of(reasons.split("\n"))),
              kwh == null ? null : new OrderFacts.EnergyEstimate(kwh[0], kwh[1], kwh[2]),
              price,
              cut,
              summons,
              date(f, "deadline"),
              text(f, "note", false));
      long id =
          h.createUpdate(
                  "insert into orders (number, case_id, kind, issued_at, issued_by, params, amount_low, "
                      + "amount_best, amount_high, state) values (:num, :c, :k, :at, :by, :p, :al, :ab, :ah, 'issued')")
              .bind("num", number)
              .bind("c", caseId)
              .bind("k", kindText)
              .bind("at", Times.bind(now))
              .bind("by", actor.name())
              .bind("p", JSON.writeValueAsString(facts))
              .bind("al", price == null ? null : price.amountLow())
              .bind("ab", price == null ? null : price.amountBest())
              .bind("ah", price == null ? null : price.amountHigh())
              .executeAndReturnGeneratedKeys("id")
              .mapTo(Long.class)
              .one();
      cases.event(
          h,
          caseId,
          now,
          actor.name(),
          "order",
          null,
          null,
          "order " + number + " (" + kindText + ") issued",
          null);
      return view(h, id);
    } catch (IllegalArgumentException e) {
      String msg = e.getMessage() == null ? "invalid" : e.getMessage();
      int colon = msg.indexOf(':');
      throw Problem.invalid(
          colon > 0 && msg.substring(0, colon).matches("[A-Za-z_.]+")
              ? msg.substring(0, colon)
              : null,
          colon > 0 ? msg.substring(colon + 1).strip() : msg);
    } catch (IOException e) {
      throw new IllegalStateException("order facts could not be stored as JSON", e);
    }
  }

  public long caseOf(Handle h, long orderId) {
    return h.createQuery("select case_id from orders where id = :o")
        .bind("o", orderId)
        .mapTo(Long.class)
        .findFirst()
        .orElseThrow(() -> Problem.notFound("no order " + orderId));
  }

  public CaseViews.OrderView execute(Handle h, long orderId, User actor, String note) {
    CaseViews.OrderView o = view(h, orderId);
    Role executor = o.kind().equals("summons") ? Role.REGIONAL_OFFICER : Role.GRID_COMPANY;
    if (actor.role() != executor) {
      throw Problem.forbidden(
          "a "
              + o.kind()
              + " order is executed by the "
              + executor.label()
              + ", not the "
              + actor.role().label());
    }
    int n =
        h.createUpdate(
                "update orders set state = 'executed', executed_at = :now, executed_by = :by, "
                    + "execution_note = :note where id = :o and state = 'issued'")
            .bind("now", Times.bind(clock.instant()))
            .bind("by", actor.name())
            .bind("note", note)
            .bind("o", orderId)
            .execute();
    if (n == 0) {
      throw Problem.conflict("order " + o.number() + " was executed already");
    }
    cases.event(
        h,
        caseOf(h, orderId),
        clock.instant(),
        actor.name(),
        "order",
        null,
        null,
        "order " + o.number() + " executed" + (note == null ? "" : ": " + note),
        null);
    return view(h, orderId);
  }

  public byte[] document(Handle h, long orderId, String format, String lang) {
    String params =
        h.createQuery("select params from orders where id = :o")
            .bind("o", orderId)
            .mapTo(String.class)
            .findFirst()
            .orElseThrow(() -> Problem.notFound("no order " + orderId));
    if (!"zh".equals(lang) && !"en".equals(lang)) {
      throw Problem.invalid("lang", "zh or en");
    }
    OrderFacts facts;
    try {
      facts = JSON.readValue(params, OrderFacts.class);
    } catch (IOException e) {
      throw new IllegalStateException("order " + orderId + ": stored facts unreadable", e);
    }
    return switch (format) {
      case "html" -> OrderDocument.html(facts, lang).getBytes(StandardCharsets.UTF_8);
      case "pdf" -> OrderDocument.pdf(facts, lang);
      default -> throw Problem.invalid("format", "html or pdf");
    };
  }

  private static CaseViews.OrderView view(Handle h, long id) {
    return h.createQuery("select * from orders where id = :o")
        .bind("o", id)
        .map(
            (rs, ctx) ->
                new CaseViews.OrderView(
                    rs.getLong("id"),
                    rs.getString("number"),
                    rs.getString("kind"),
                    Times.read(rs, "issued_at"),
                    rs.getString("issued_by"),
                    rs.getBigDecimal("amount_low"),
                    rs.getBigDecimal("amount_best"),
                    rs.getBigDecimal("amount_high"),
                    rs.getString("state"),
                    Times.read(rs, "executed_at"),
                    rs.getString("executed_by")))
        .findFirst()
        .orElseThrow(() -> Problem.notFound("no order " + id));
  }

  private static String text(Map<String, Object> f, String key, boolean required) {
    Object v = f.get(key);
    if (v == null || (v instanceof String s && s.isBlank())) {
      if (required) {
        throw Problem.invalid(key, "is required");
      }
      return null;
    }
    if (!(v instanceof String s)) {
      throw Problem.invalid(key, "must be a string");
    }
    return s.strip();
  }

  private static BigDecimal decimal(Map<String, Object> f, String key) {
    Object v = f.get(key);
    if (v == null) {
      return null;
    }
    try {
      BigDecimal d = new BigDecimal(v.toString());
      if (d.signum() < 0) {
        throw Problem.invalid(key, "must not be negative");
      }
      // Bounded before any arithmetic: "1e999999999" is a valid BigDecimal whose rounding never
      // ends.
      if (d.compareTo(MAX_INPUT) > 0 || d.scale() > 10) {
        throw Problem.invalid(
            key,
            "must be at most "
                + MAX_INPUT.toPlainString()
                + ", with at most 10 decimals, not "
                + v);
      }
      return d;
    } catch (NumberFormatException e) {
      throw Problem.invalid(key, "must be a number, not " + v);
    }
  }

  private static LocalDate date(Map<String, Object> f, String key) {
    String s = text(f, key, false);
    try {
      return s == null ? null : LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      throw Problem.invalid(key, "\"" + s + "\" is not a date such as 2026-12-31");
    }
  }

  private static LocalDateTime dateTime(Map<String, Object> f, String key) {
    String s = text(f, key, true);
    try {
      return LocalDateTime.parse(s);
    } catch (DateTimeParseException e) {
      throw Problem.invalid(
          key, "\"" + s + "\" is not a local date and time such as 2026-12-03T10:00");
    }
  }

  private static List<String> strings(Map<String, Object> f, String key) {
    Object v = f.get(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> l) || !l.stream().allMatch(x -> x instanceof String)) {
      throw Problem.invalid(key, "must be an array of strings");
    }
    return l.stream().map(Object::toString).toList();
  }
}
