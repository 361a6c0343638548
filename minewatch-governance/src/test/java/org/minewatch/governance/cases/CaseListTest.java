package org.minewatch.governance.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.minewatch.governance.Findings;
import org.minewatch.governance.GovernanceTestBase;
import org.minewatch.governance.Problem;
import org.minewatch.governance.user.Role;
import org.minewatch.governance.user.User;

/** The case lists (全量名单, 重点名单) as each role sees them, with the cases' priority and links. */
class CaseListTest extends GovernanceTestBase {

  private static CaseQuery query(
      List<CaseState> states,
      String region,
      String priority,
      String unit,
      String category,
      String coin,
      String sort,
      int page,
      int size) {
    return new CaseQuery(states, region, priority, unit, category, coin, null, sort, page, size);
  }

  private List<String> numbers(User u, CaseQuery q) {
    return gov.listCases(u, q).cases().stream().map(CaseViews.Summary::number).toList();
  }

  @Test
  void priorityAfterIngestPutsPublicBodiesOnTheList() {
    sampleCases();

    List<CaseViews.Summary> all = gov.listCases(ADMIN, CaseQuery.all()).cases();

    // Sorted by priority: the government's deliberate mining, the university's compromised host,
    // the subscriber.
    assertThat(all)
        .extracting(
            CaseViews.Summary::number,
            CaseViews.Summary::priority,
            CaseViews.Summary::priorityList,
            s -> english(s.priorityReasons()),
            CaseViews.Summary::assessment,
            CaseViews.Summary::coins)
        .containsExactly(
            tuple(
                "MW-2026-000002",
                40,
                true,
                List.of("state-owned or public body: government", "deliberate mining"),
                "deliberate",
                List.of()),
            tuple(
                "MW-2026-000001",
                35,
                true,
                List.of("state-owned or public body: university", "compromised host"),
                "compromised",
                List.of("monero")),
            tuple("MW-2026-000003", 0, false, List.of(), "undetermined", List.of("ethereum")));
    assertThat(numbers(ADMIN, query(List.of(), null, "list", null, null, null, null, 1, 50)))
        .containsExactly("MW-2026-000002", "MW-2026-000001");
    CaseViews.Detail university = detail(caseOf("10.20.1.15"));
    assertThat(english(university.assessmentReasons()))
        .containsExactly(
            "compromise: XMRig-family miner (XMRig/6.16.4 (Linux "
                + "x86_64) libuv/1.41.0 gcc/9.3.0) on a host of 示例大学 (Example University), a university unit, where servers "
                + "do not mine by design");
    assertThat(university.unitAddress()).isEqualTo("南京市鼓楼区示例路22号");
    assertThat(university.unitContact()).isEqualTo("net@example-university.edu.cn");
  }

  @Test
  void aBitcoinFarmTopsTheList() {
    sampleCases();
    ingest(
        Findings.kwh(
            Findings.with(Findings.host(Findings.RESIDENTIAL, "192.168.40.10"), "coin", "bitcoin"),
            9000,
            12000,
            15000));

    CaseViews.Summary s = detail(caseOf("192.168.40.10")).summary();
    assertThat(s.number()).isEqualTo("MW-2026-000003");
    assertThat(s.priority()).isEqualTo(50 + 20);
    assertThat(s.priorityList()).isTrue();
    assertThat(english(s.priorityReasons()))
        .containsExactly("industrial scale: 12000 kWh/day (best estimate)", "Bitcoin mining");
    assertThat(numbers(ADMIN, query(List.of(), null, "list", null, null, null, null, 1, 50)))
        .containsExactly("MW-2026-000003", "MW-2026-000002", "MW-2026-000001");
  }

  @Test
  void filtersAndPages() {
    sampleCases();
    move(ADMIN, caseOf("10.20.7.33"), CaseState.DISPATCHED);

    assertThat(
            numbers(
                ADMIN,
                query(List.of(CaseState.DETECTED), null, null, null, null, null, "number", 1, 50)))
        .containsExactly("MW-2026-000001", "MW-2026-000003");
    assertThat(
            numbers(
                ADMIN,
                query(
                    List.of(CaseState.DISPATCHED, CaseState.CLOSED),
                    null,
                    null,
                    null,
                    null,
                    null,
                    "number",
                    1,
                    50)))
        .containsExactly("MW-2026-000002");
    assertThat(numbers(ADMIN, query(List.of(), "320100", null, null, null, null, "number", 1, 50)))
        .containsExactly("MW-2026-000001");
    assertThat(numbers(ADMIN, query(List.of(), "320000", null, null, null, null, "number", 1, 50)))
        .containsExactly("MW-2026-000001", "MW-2026-000002", "MW-2026-000003");
    assertThat(numbers(ADMIN, query(List.of(), "3205", null, null, null, null, "number", 1, 50)))
        .containsExactly("MW-2026-000003");
    assertThat(
            numbers(
                ADMIN,
                query(
                    List.of(), null, null, Findings.GOVERNMENT_CODE, null, null, "number", 1, 50)))
        .containsExactly("MW-2026-000002");
    assertThat(
            numbers(
                ADMIN,
                query(
                    List.of(), null, null, Findings.RESIDENTIAL_NAME, null, null, "number", 1, 50)))
        .containsExactly("MW-2026-000003");
    assertThat(
            numbers(ADMIN, query(List.of(), null, null, null, "university", null, "number", 1, 50)))
        .containsExactly("MW-2026-000001");
    assertThat(numbers(ADMIN, query(List.of(), null, null, null, null, "MONERO", "number", 1, 50)))
        .containsExactly("MW-2026-000001");
    assertThat(numbers(ADMIN, query(List.of(), null, null, null, null, "bitcoin", "number", 1, 50)))
        .isEmpty();

    CaseStore.Page second =
        gov.listCases(ADMIN, query(List.of(), null, null, null, null, null, "number", 2, 2));
    assertThat(second.total()).isEqualTo(3);
    assertThat(second.cases())
        .extracting(CaseViews.Summary::number)
        .containsExactly("MW-2026-000003");
  }

  @Test
  void badQueryValuesAreRefusedNamingTheField() {
    assertThat(problem(() -> query(List.of(), "32a", null, null, null, null, null, 1, 10)).field())
        .isEqualTo("region");
    assertThat(problem(() -> query(List.of(), null, "top", null, null, null, null, 1, 10)).field())
        .isEqualTo("priority");
    assertThat(
            problem(
                    () ->
                        query(
                            List.of(), null, null, null, null, null, "id; drop table cases", 1, 10))
                .field())
        .isEqualTo("sort");
    assertThat(problem(() -> query(List.of(), null, null, null, null, null, null, 0, 10)).field())
        .isEqualTo("page");
    assertThat(problem(() -> query(List.of(), null, null, null, null, null, null, 1, 501)).field())
        .isEqualTo("size");
  }

  @Test
  void eachRoleSeesItsOwnCases() {
    sampleCases();
    CaseQuery all = query(List.of(), null, null, null, null, null, "number", 1, 50);

    assertThat(numbers(ADMIN, all))
        .containsExactly("MW-2026-000001", "MW-2026-000002", "MW-2026-000003");
    assertThat(numbers(AUDITOR, all))
        .containsExactly("MW-2026-000001", "MW-2026-000002", "MW-2026-000003");
    assertThat(numbers(REGULATOR, all))
        .containsExactly("MW-2026-000001", "MW-2026-000002", "MW-2026-000003");
    assertThat(numbers(NANJING, all)).containsExactly("MW-2026-000001");
    assertThat(numbers(SUZHOU, all)).containsExactly("MW-2026-000003");
    // The unit contact sees its unit's case only, whatever it asks for.
    assertThat(numbers(UNIT, all)).containsExactly("MW-2026-000001");
    assertThat(
            numbers(
                UNIT,
                query(
                    List.of(), null, null, Findings.GOVERNMENT_CODE, null, null, "number", 1, 50)))
        .isEmpty();
    assertThat(gov.listCases(UNIT, all).total()).isEqualTo(1);
    assertThat(problem(() -> gov.caseDetail(UNIT, caseOf("10.20.7.33"))).kind())
        .isEqualTo(Problem.Kind.FORBIDDEN);
    assertThat(gov.caseDetail(UNIT, caseOf("10.20.1.15")).summary().number())
        .isEqualTo("MW-2026-000001");
    // A sensor sends findings and reads nothing.
    assertThat(problem(() -> gov.listCases(SENSOR, all)).kind()).isEqualTo(Problem.Kind.FORBIDDEN);
    User other =
        new User(30, "other-unit", Role.UNIT_CONTACT, null, Findings.GOVERNMENT_CODE, false);
    assertThat(numbers(other, all)).containsExactly("MW-2026-000002");
  }

  @Test
  void casesOfTwoUnitsSharingAWalletShowEachOther() {
    importDemoRegistry();
    ingest(Findings.UNIVERSITY);
    // Later, the government unit's host mines to the university miner's wallet.
    ingest(
        Findings.with(Findings.GOVERNMENT, "wallet", Findings.UNIVERSITY_WALLET),
        Findings.RESIDENTIAL);
    long university = caseOf("10.20.1.15");
    long government = caseOf("10.20.7.33");

    assertThat(detail(university).linked())
        .containsExactly(
            new CaseViews.Link(
                government,
                "MW-2026-000002",
                Findings.GOVERNMENT_NAME,
                "wallet",
                Findings.UNIVERSITY_WALLET));
    assertThat(detail(government).linked())
        .containsExactly(
            new CaseViews.Link(
                university,
                "MW-2026-000001",
                Findings.UNIVERSITY_NAME,
                "wallet",
                Findings.UNIVERSITY_WALLET));
    assertThat(detail(caseOf("192.168.40.9")).linked()).isEmpty();
    assertThat(count("case_links")).isEqualTo(1);

    // Sent again, nothing doubles; one operation shared as well adds a link of that kind.
    ingest(Findings.with(Findings.GOVERNMENT, "wallet", Findings.UNIVERSITY_WALLET));
    assertThat(count("case_links")).isEqualTo(1);
    ingest(Findings.with(Findings.kwh(Findings.RESIDENTIAL, 1, 2, 3), "operation", "op-5a197b22"));
    assertThat(detail(caseOf("192.168.40.9")).linked())
        .extracting(CaseViews.Link::caseId, CaseViews.Link::kind, CaseViews.Link::value)
        .containsExactly(tuple(university, "operation", "op-5a197b22"));
    assertThat(detail(university).linked())
        .extracting(CaseViews.Link::number, CaseViews.Link::kind)
        .containsExactly(tuple("MW-2026-000002", "wallet"), tuple("MW-2026-000003", "operation"));
  }

  @Test
  void twoHostsOfOneCaseSharingAWalletAreNoLink() {
    importDemoRegistry();
    ingest(Findings.UNIVERSITY, Findings.host(Findings.UNIVERSITY, "10.20.1.16"));
    assertThat(count("cases")).isEqualTo(1);
    assertThat(detail(caseOf("10.20.1.15")).linked()).isEmpty();
  }

  private static List<String> english(List<org.minewatch.attribution.assess.Reason> reasons) {
    return reasons.stream().map(Reasons::english).toList();
  }
}
