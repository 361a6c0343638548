package org.minewatch.governance.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.minewatch.attribution.registry.CreditCode;
import org.minewatch.attribution.registry.RegistryImport;
import org.minewatch.governance.Findings;
import org.minewatch.governance.GovernanceTestBase;
import org.minewatch.governance.Problem;
import org.minewatch.governance.audit.AuditLog;
import org.minewatch.governance.cases.CaseState;
import org.minewatch.governance.cases.CaseViews;
import org.minewatch.governance.user.Role;
import org.minewatch.governance.user.User;

/**
 * Orders of a case in 处置: computed, numbered, rendered, executed by the role that executes them.
 */
class OrderStoreTest extends GovernanceTestBase {
  static final String HOHHOT_CODE = CreditCode.withCheck("91150100MA0000001");
  static final String HOHHOT_NAME = "呼和浩特示例数据科技有限公司 (Example Hohhot Data Co.)";
  static final TariffPolicy INNER_MONGOLIA =
      TariffPolicies.builtIn().require("inner-mongolia-2022");

  /** Hohhot's officer (150100), who executes summonses there. */
  static final User HOHHOT = new User(40, "hohhot", Role.REGIONAL_OFFICER, "150100", null, false);

  /**
   * A mining farm of an enterprise in Hohhot (Inner Mongolia, 150100), its case walked to disposed.
   */
  private long hohhotCase(CaseState state) {
    gov.importRegistry(
        ADMIN,
        String.join(",", RegistryImport.COLUMNS)
            + "\n172.20.0.0/16,\""
            + HOHHOT_NAME
            + "\","
            + HOHHOT_CODE
            + ",enterprise,150100,呼和浩特市,呼和浩特市新城区示例路1号,ops@example-hohhot.cn\n",
        "hohhot.csv");
    ingest(Findings.kwh(Findings.host(Findings.UNIVERSITY, "172.20.0.5"), 200, 209.28, 230));
    long c = caseOf("172.20.0.5");
    walk(c, state);
    return c;
  }

  private static Map<String, Object> fields(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static BigDecimal money(BigDecimal v) {
    return v.setScale(2, RoundingMode.HALF_UP);
  }

  @Test
  void aMeteredPriceOrderChargesTheSurchargeOnTheMeteredKwh() {
    long c = hohhotCase(CaseState.DISPOSED);

    CaseViews.OrderView o =
        gov.issueOrder(
            REGULATOR,
            c,
            new OrderStore.Request(
                "price",
                fields(
                    "policy",
                    "inner-mongolia-2022",
                    "metered_kwh",
                    "12345.6",
                    "start",
                    "2026-01-01",
                    "end",
                    "2026-02-28")));

    BigDecimal expected =
        money(money(new BigDecimal("12345.6")).multiply(INNER_MONGOLIA.yuanPerKwh()));
    assertThat(expected).isEqualTo(new BigDecimal("12345.60"));
    assertThat(o)
        .extracting(
            CaseViews.OrderView::number,
            CaseViews.OrderView::kind,
            CaseViews.OrderView::issuedBy,
            CaseViews.OrderView::issuedAt,
            CaseViews.OrderView::state,
            CaseViews.OrderView::amountLow,
            CaseViews.OrderView::amountBest,
            CaseViews.OrderView::amountHigh)
        .containsExactly(
            "MW-ORD-2026-000001",
            "price",
            "regulator",
            clock.instant(),
            "issued",
            expected,
            expected,
            expected);
    CaseViews.Detail d = detail(c);
    assertThat(d.orders()).containsExactly(o);
    assertThat(d.history())
        .last()
        .extracting(CaseViews.Event::kind, CaseViews.Event::note)
        .containsExactly("order", "order MW-ORD-2026-000001 (price) issued");
    assertThat(lastAudit())
        .extracting(AuditLog.Entry::action, AuditLog.Entry::subject, AuditLog.Entry::detail)
        .containsExactly(
            "order.issue",
            "case " + c,
            "MW-ORD-2026-000001 price: 12345.60 / 12345.60 / 12345.60 yuan");
  }

  @Test
  void anEstimatedPriceOrderChargesTheCasesEnergyOverThePeriod() {
    long c = hohhotCase(CaseState.DISPOSED);
    double[] perDay = detail(c).summary().kwhPerDay();
    assertThat(perDay).containsExactly(200.0, 209.28, 230.0);

    CaseViews.OrderView o =
        gov.issueOrder(
            REGULATOR,
            c,
            new OrderStore.Request(
                "price",
                fields(
                    "policy", "inner-mongolia-2022", "start", "2026-01-01", "end", "2026-01-31")));

    // 31 days × kWh/day, rounded to 0.01 kWh, × 1.00 yuan/kWh, rounded to 0.01 yuan.
    BigDecimal[] amounts = new BigDecimal[3];
    for (int i = 0; i < 3; i++) {
      BigDecimal kwh = money(BigDecimal.valueOf(perDay[i]).multiply(BigDecimal.valueOf(31)));
      amounts[i] = money(kwh.multiply(INNER_MONGOLIA.yuanPerKwh()));
    }
    assertThat(amounts)
        .containsExactly(
            new BigDecimal("6200.00"), new BigDecimal("6487.68"), new BigDecimal("7130.00"));
    assertThat(o.amountLow()).isEqualTo(amounts[0]);
    assertThat(o.amountBest()).isEqualTo(amounts[1]);
    assertThat(o.amountHigh()).isEqualTo(amounts[2]);

    // The document shows the same figures, and the order's number.
    String html =
        new String(gov.orderDocument(REGULATOR, o.id(), "html", "zh"), StandardCharsets.UTF_8);
    assertThat(html).contains("MW-ORD-2026-000001", HOHHOT_NAME, "6,487.68", "172.20.0.5");
    String en =
        new String(gov.orderDocument(AUDITOR, o.id(), "html", "en"), StandardCharsets.UTF_8);
    assertThat(en).contains("MW-ORD-2026-000001", "6,200.00", "7,130.00");
  }

  @Test
  void anEstimateNeedsTheStartOfTheMining() {
    long c = hohhotCase(CaseState.DISPOSED);
    Problem p =
        problem(
            () ->
                gov.issueOrder(
                    REGULATOR,
                    c,
                    new OrderStore.Request("price", fields("policy", "inner-mongolia-2022"))));
    assertThat(p.kind()).isEqualTo(Problem.Kind.INVALID);
    assertThat(p.field()).isEqualTo("start");
    assertThat(count("orders")).isZero();
  }

  @Test
  void badOrderFieldsAreRefusedNamingTheField() {
    long c = hohhotCase(CaseState.DISPOSED);
    Map<String, Map<String, Object>> bad =
        Map.of(
            "kind", Map.of("kind", "fine"),
            "policy", Map.of("kind", "price", "policy", "atlantis-2030"),
            "metered_kwh",
                Map.of("kind", "price", "policy", "inner-mongolia-2022", "metered_kwh", "lots"),
            "start",
                Map.of(
                    "kind",
                    "price",
                    "policy",
                    "inner-mongolia-2022",
                    "start",
                    "1 May",
                    "metered_kwh",
                    5),
            "account", Map.of("kind", "power-cut", "supply_address", "呼和浩特市", "reason", "挖矿"),
            "at", Map.of("kind", "summons", "at", "tomorrow", "place", "302"));
    for (Map.Entry<String, Map<String, Object>> e : bad.entrySet()) {
      Map<String, Object> f = new HashMap<>(e.getValue());
      String kind = (String) f.remove("kind");
      Problem p = problem(() -> gov.issueOrder(REGULATOR, c, new OrderStore.Request(kind, f)));
      assertThat(p.kind()).as(e.getKey()).isEqualTo(Problem.Kind.INVALID);
      assertThat(p.field()).as(e.getKey()).isEqualTo(e.getKey());
    }
    Problem negative =
        problem(
            () ->
                gov.issueOrder(
                    REGULATOR,
                    c,
                    new OrderStore.Request(
                        "price", fields("policy", "inner-mongolia-2022", "metered_kwh", -1))));
    assertThat(negative.field()).isEqualTo("metered_kwh");
    assertThat(count("orders")).isZero();
    // A refused order takes no number.
    assertThat(
            gov.issueOrder(
                    REGULATOR,
                    c,
                    new OrderStore.Request(
                        "price", fields("policy", "inner-mongolia-2022", "metered_kwh", 10)))
                .number())
        .isEqualTo("MW-ORD-2026-000001");
  }

  @Test
  void figuresBeyondAnyMeterAreRefusedNotComputed() {
    long c = hohhotCase(CaseState.DISPOSED);
    // 10^17 kWh would overflow the amount's numeric(18, 2); 1e999999999 would take the calculator
    // forever.
    for (Object kwh : List.of("100000000000000000", "1e999999999", "1e-999999999", 1.0e300)) {
      Problem p =
          problem(
              () ->
                  gov.issueOrder(
                      REGULATOR,
                      c,
                      new OrderStore.Request(
                          "price", fields("policy", "inner-mongolia-2022", "metered_kwh", kwh))));
      assertThat(p.kind()).as(kwh.toString()).isEqualTo(Problem.Kind.INVALID);
      assertThat(p.field()).isEqualTo("metered_kwh");
    }
    Problem tariff =
        problem(
            () ->
                gov.issueOrder(
                    REGULATOR,
                    c,
                    new OrderStore.Request(
                        "price",
                        fields(
                            "policy",
                            "tariff-misuse",
                            "metered_kwh",
                            100,
                            "tariff_applied",
                            "0.5",
                            "tariff_due",
                            "1e999999999"))));
    assertThat(tariff.field()).isEqualTo("tariff_due");
    // An estimate the sensors made absurd (10^15 kWh a day) is refused as an amount, not stored.
    ingest(Findings.kwh(Findings.host(Findings.UNIVERSITY, "172.20.0.6"), 1e15, 1e15, 1e15));
    Problem estimate =
        problem(
            () ->
                gov.issueOrder(
                    REGULATOR,
                    c,
                    new OrderStore.Request(
                        "price",
                        fields(
                            "policy",
                            "inner-mongolia-2022",
                            "start",
                            "2026-01-01",
                            "end",
                            "2026-01-31"))));
    assertThat(estimate.field()).isEqualTo("price");
    assertThat(count("orders")).isZero();
    // Ten billion kWh is allowed: the largest farms use about a tenth of that in a year.
    assertThat(
            gov.issueOrder(
                    REGULATOR,
                    c,
                    new OrderStore.Request(
                        "price",
                        fields("policy", "inner-mongolia-2022", "metered_kwh", "10000000000")))
                .amountBest())
        .isEqualTo(new BigDecimal("10000000000.00"));
  }

  @Test
  void aProvincesSurchargeIsNotChargedInAnotherProvince() {
    sampleCases();
    long c = caseOf("10.20.1.15");
    walk(c, CaseState.DISPOSED);

    Problem p =
        problem(
            () ->
                gov.issueOrder(
                    REGULATOR,
                    c,
                    new OrderStore.Request(
                        "price", fields("policy", "inner-mongolia-2022", "metered_kwh", 100))));

    assertThat(p.kind()).isEqualTo(Problem.Kind.INVALID);
    assertThat(p.field()).isEqualTo("price");
    assertThat(p.getMessage())
        .isEqualTo("price: policy inner-mongolia-2022 is for region 150000, the unit is in 320100");
  }

  @Test
  void ordersComeOnlyFromACaseInDisposed() {
    long c = hohhotCase(CaseState.INSPECTED);
    OrderStore.Request r =
        new OrderStore.Request("price", fields("policy", "inner-mongolia-2022", "metered_kwh", 1));

    Problem p = problem(() -> gov.issueOrder(REGULATOR, c, r));

    assertThat(p.kind()).isEqualTo(Problem.Kind.CONFLICT);
    assertThat(p.getMessage())
        .isEqualTo(
            "orders are issued from a case in disposed (处置); case MW-2026-000001 is "
                + "inspected");
    move(ADMIN, c, CaseState.DISPOSED);
    gov.issueOrder(REGULATOR, c, r);
    move(ADMIN, c, CaseState.RECTIFYING);
    assertThat(problem(() -> gov.issueOrder(REGULATOR, c, r)).kind())
        .isEqualTo(Problem.Kind.CONFLICT);
    assertThat(count("orders")).isEqualTo(1);
  }

  @Test
  void aCaseWithoutAUnitHasNoOneToOrder() {
    importDemoRegistry();
    ingest(Findings.host(Findings.UNIVERSITY, "172.31.0.9"));
    long c = caseOf("172.31.0.9");
    walk(c, CaseState.DISPOSED);
    Problem p =
        problem(
            () ->
                gov.issueOrder(
                    REGULATOR,
                    c,
                    new OrderStore.Request(
                        "summons", fields("at", "2026-03-12T09:30", "place", "302"))));
    assertThat(p.kind()).isEqualTo(Problem.Kind.CONFLICT);
  }

  @Test
  void onlyTheEnergyRegulatorIssuesOrders() {
    long c = hohhotCase(CaseState.DISPOSED);
    for (Role role : Role.values()) {
      if (role == Role.ENERGY_REGULATOR) {
        continue;
      }
      User u = role == Role.REGIONAL_OFFICER ? HOHHOT : user(role);
      long audit = count("audit");
      Problem p =
          problem(
              () ->
                  gov.issueOrder(
                      u,
                      c,
                      new OrderStore.Request(
                          "price", fields("policy", "inner-mongolia-2022", "metered_kwh", 1))));
      assertThat(p.kind()).as(role.label()).isEqualTo(Problem.Kind.FORBIDDEN);
      assertThat(count("audit")).isEqualTo(audit + 1);
      assertThat(lastAudit().action()).isEqualTo("denied");
    }
    assertThat(count("orders")).isZero();
  }

  @Test
  void theGridCompanyExecutesAPriceOrderOnce() {
    long c = hohhotCase(CaseState.DISPOSED);
    CaseViews.OrderView o =
        gov.issueOrder(
            REGULATOR,
            c,
            new OrderStore.Request(
                "price", fields("policy", "inner-mongolia-2022", "metered_kwh", 500)));

    // Hohhot's officer may execute summonses, not price orders: refused, and the refusal audited.
    long audit = count("audit");
    Problem officer = problem(() -> gov.executeOrder(HOHHOT, o.id(), "done"));
    assertThat(officer.kind()).isEqualTo(Problem.Kind.FORBIDDEN);
    assertThat(officer.getMessage())
        .isEqualTo("a price order is executed by the grid-company, not the " + "regional-officer");
    assertThat(count("audit")).isEqualTo(audit + 1);
    assertThat(lastAudit())
        .extracting(
            AuditLog.Entry::actor,
            AuditLog.Entry::action,
            AuditLog.Entry::subject,
            AuditLog.Entry::detail)
        .containsExactly(
            "hohhot", "denied", "order " + o.id(), "execute_order by role regional-officer");
    assertThat(problem(() -> gov.executeOrder(AUDITOR, o.id(), null)).kind())
        .isEqualTo(Problem.Kind.FORBIDDEN);

    clock.advance(Duration.ofDays(2));
    CaseViews.OrderView done =
        gov.executeOrder(GRID, o.id(), "surcharge billed on account 0102-3344");
    assertThat(done)
        .extracting(
            CaseViews.OrderView::state,
            CaseViews.OrderView::executedBy,
            CaseViews.OrderView::executedAt)
        .containsExactly("executed", "grid", clock.instant());
    assertThat(lastAudit())
        .extracting(AuditLog.Entry::action, AuditLog.Entry::subject, AuditLog.Entry::detail)
        .containsExactly(
            "order.execute", "order MW-ORD-2026-000001", "surcharge billed on account 0102-3344");

    Problem twice = problem(() -> gov.executeOrder(GRID, o.id(), "again"));
    assertThat(twice.kind()).isEqualTo(Problem.Kind.CONFLICT);
    assertThat(gov.caseDetail(ADMIN, c).orders())
        .extracting(CaseViews.OrderView::state)
        .containsExactly("executed");
    assertThat(problem(() -> gov.executeOrder(GRID, 999, null)).kind())
        .isEqualTo(Problem.Kind.NOT_FOUND);
  }

  @Test
  void aSummonsIsExecutedByTheRegionsOfficerAndAPowerCutByTheGrid() {
    long c = hohhotCase(CaseState.DISPOSED);
    CaseViews.OrderView summons =
        gov.issueOrder(
            REGULATOR,
            c,
            new OrderStore.Request(
                "summons",
                fields(
                    "at",
                    "2026-03-12T09:30",
                    "place",
                    "自治区能源局 302 会议室",
                    "attendees",
                    List.of("法定代表人"),
                    "topics",
                    List.of("整改计划"))));
    CaseViews.OrderView cut =
        gov.issueOrder(
            REGULATOR,
            c,
            new OrderStore.Request(
                "power-cut",
                fields(
                    "account",
                    "0102-3344-5566",
                    "supply_address",
                    "呼和浩特市新城区示例路1号",
                    "reason",
                    "擅自从事虚拟货币挖矿",
                    "effective_date",
                    "2026-03-09")));

    assertThat(List.of(summons, cut))
        .extracting(
            CaseViews.OrderView::number, CaseViews.OrderView::kind, CaseViews.OrderView::amountBest)
        .containsExactly(
            tuple("MW-ORD-2026-000001", "summons", null),
            tuple("MW-ORD-2026-000002", "power-cut", null));
    assertThat(problem(() -> gov.executeOrder(GRID, summons.id(), null)).kind())
        .isEqualTo(Problem.Kind.FORBIDDEN);
    assertThat(problem(() -> gov.executeOrder(NANJING, summons.id(), null)).kind())
        .isEqualTo(Problem.Kind.FORBIDDEN);
    assertThat(gov.executeOrder(HOHHOT, summons.id(), "held").state()).isEqualTo("executed");
    assertThat(problem(() -> gov.executeOrder(HOHHOT, cut.id(), null)).kind())
        .isEqualTo(Problem.Kind.FORBIDDEN);
    assertThat(gov.executeOrder(GRID, cut.id(), "cut at 09:00").state()).isEqualTo("executed");
    String html =
        new String(gov.orderDocument(HOHHOT, cut.id(), "html", "zh"), StandardCharsets.UTF_8);
    assertThat(html).contains("MW-ORD-2026-000002", "0102-3344-5566");
  }

  @Test
  void documentsAsPdfAndTheirRefusals() {
    long c = hohhotCase(CaseState.DISPOSED);
    CaseViews.OrderView o =
        gov.issueOrder(
            REGULATOR,
            c,
            new OrderStore.Request(
                "price", fields("policy", "inner-mongolia-2022", "metered_kwh", 500)));

    byte[] en = gov.orderDocument(REGULATOR, o.id(), "pdf", "en");
    assertThat(new String(en, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
    assertThat(problem(() -> gov.orderDocument(REGULATOR, o.id(), "docx", "zh")).field())
        .isEqualTo("format");
    assertThat(problem(() -> gov.orderDocument(REGULATOR, o.id(), "html", "fr")).field())
        .isEqualTo("lang");
    assertThat(problem(() -> gov.orderDocument(REGULATOR, 999, "html", "zh")).kind())
        .isEqualTo(Problem.Kind.NOT_FOUND);
    assertThat(problem(() -> gov.orderDocument(NANJING, o.id(), "html", "zh")).kind())
        .isEqualTo(Problem.Kind.FORBIDDEN);

    byte[] zh;
    try {
      zh = gov.orderDocument(REGULATOR, o.id(), "pdf", "zh");
    } catch (IllegalStateException e) {
      assumeTrue(
          !e.getMessage().contains("font"), "no CJK font on this machine: " + e.getMessage());
      throw e;
    }
    assertThat(new String(zh, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
  }
}
