package org.minewatch.governance.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.minewatch.governance.Findings;
import org.minewatch.governance.GovernanceTestBase;
import org.minewatch.governance.Problem;
import org.minewatch.governance.cases.CaseQuery;
import org.minewatch.governance.cases.CaseStore;
import org.minewatch.governance.cases.CaseViews;

/** Findings in, cases out: one case per unit or unheld address, idempotent, all or nothing. */
class IngestTest extends GovernanceTestBase {

  @Test
  void threeSampleMinersOpenOneCasePerUnit() {
    importDemoRegistry();
    CaseStore.IngestResult r =
        ingest(Findings.UNIVERSITY, Findings.GOVERNMENT, Findings.RESIDENTIAL);

    assertThat(r).isEqualTo(new CaseStore.IngestResult(3, 3, 0, 0, 3, 0));
    assertThat(count("findings")).isEqualTo(3);
    List<CaseViews.Summary> cases =
        gov.listCases(
                ADMIN,
                new CaseQuery(List.of(), null, null, null, null, null, null, "number", 1, 50))
            .cases();
    assertThat(cases)
        .extracting(
            CaseViews.Summary::number,
            CaseViews.Summary::unitName,
            CaseViews.Summary::unitCode,
            CaseViews.Summary::category,
            CaseViews.Summary::regionCode,
            CaseViews.Summary::state,
            CaseViews.Summary::hosts,
            CaseViews.Summary::host)
        .containsExactly(
            tuple(
                "MW-2026-000001",
                Findings.UNIVERSITY_NAME,
                Findings.UNIVERSITY_CODE,
                "university",
                "320100",
                "detected",
                1,
                null),
            tuple(
                "MW-2026-000002",
                Findings.GOVERNMENT_NAME,
                Findings.GOVERNMENT_CODE,
                "government",
                "320200",
                "detected",
                1,
                null),
            // The residential subscriber has no credit code, and is a unit all the same.
            tuple(
                "MW-2026-000003",
                Findings.RESIDENTIAL_NAME,
                null,
                "residential",
                "320500",
                "detected",
                1,
                null));
    assertThat(cases)
        .extracting(CaseViews.Summary::openedAt, CaseViews.Summary::deadline)
        .containsOnly(tuple(START, START.plus(Duration.ofDays(3))));
    assertThat(detail(cases.get(0).id()).hosts()).containsExactly("10.20.1.15");
    assertThat(detail(cases.get(1).id()).hosts()).containsExactly("10.20.7.33");
    assertThat(detail(cases.get(2).id()).hosts()).containsExactly("192.168.40.9");
    assertThat(detail(cases.get(0).id()).findings())
        .extracting(
            CaseViews.FindingView::host,
            CaseViews.FindingView::verdict,
            CaseViews.FindingView::coin,
            CaseViews.FindingView::protocol,
            CaseViews.FindingView::wallet,
            CaseViews.FindingView::hashrate,
            CaseViews.FindingView::lastSeen)
        .containsExactly(
            tuple(
                "10.20.1.15",
                "mining",
                "monero",
                "stratum-xmr",
                Findings.UNIVERSITY_WALLET,
                666.6,
                Instant.parse("2021-11-08T01:18:30.007Z")));
    assertThat(cases.get(0).kwhPerDay()).containsExactly(0.08709, 0.4, 1.579);
    assertThat(
            rows(
                "select actor, action, subject from audit where action in ('case.open', 'ingest') order by seq"))
        .extracting(m -> m.get("actor"), m -> m.get("action"), m -> m.get("subject"))
        .containsExactly(
            tuple("sensor-1", "case.open", "case " + cases.get(0).id()),
            tuple("sensor-1", "case.open", "case " + cases.get(1).id()),
            tuple("sensor-1", "case.open", "case " + cases.get(2).id()),
            tuple("sensor-1", "ingest", "findings"));
    assertThat(lastAudit().detail())
        .isEqualTo("3 received: 3 new, 0 updated, 0 unchanged; 3 cases opened, 0 reopened");
  }

  @Test
  void theWholeScanStoresEveryFindingButOnlyMinersOpenCases() {
    importDemoRegistry();
    CaseStore.IngestResult r = gov.ingest(SENSOR, String.join("\n", Findings.SCAN));

    assertThat(r).isEqualTo(new CaseStore.IngestResult(8, 8, 0, 0, 3, 0));
    assertThat(count("findings")).isEqualTo(8);
    assertThat(count("cases")).isEqualTo(3);
    // The pools (role pool) and the Bitcoin node of the computing centre (verdict node) are stored,
    // in no case.
    assertThat(rows("select host from findings where case_id is null order by host"))
        .extracting(m -> m.get("host"))
        .containsExactly(
            "10.20.3.4", "192.0.2.200", "198.51.100.23", "198.51.100.41", "203.0.113.80");
    long audit = count("audit");
    assertThat(gov.ingest(SENSOR, String.join("\r\n", Findings.SCAN) + "\r\n\r\n"))
        .isEqualTo(new CaseStore.IngestResult(8, 0, 0, 8, 0, 0));
    assertThat(count("audit")).isEqualTo(audit);
  }

  @Test
  void theSameBodyAgainChangesNothing() {
    importDemoRegistry();
    ingest(Findings.UNIVERSITY, Findings.GOVERNMENT, Findings.RESIDENTIAL);
    List<Map<String, Object>> cases = rows("select * from cases order by id");
    List<Map<String, Object>> findings = rows("select * from findings order by id");
    List<Map<String, Object>> events = rows("select * from case_events order by id");
    long audit = count("audit");

    clock.advance(Duration.ofHours(1));
    CaseStore.IngestResult again =
        ingest(Findings.UNIVERSITY, Findings.GOVERNMENT, Findings.RESIDENTIAL);

    assertThat(again).isEqualTo(new CaseStore.IngestResult(3, 0, 0, 3, 0, 0));
    assertThat(rows("select * from cases order by id")).isEqualTo(cases);
    assertThat(rows("select * from findings order by id")).isEqualTo(findings);
    assertThat(rows("select * from case_events order by id")).isEqualTo(events);
    // An ingest that changed nothing writes no audit entry.
    assertThat(count("audit")).isEqualTo(audit);
  }

  @Test
  void timesFinerThanMillisecondsAreTheSameFindingWhenSentAgain() {
    importDemoRegistry();
    String micro = Findings.with(Findings.UNIVERSITY, "last_seen", "2021-11-08T01:18:30.007035Z");
    ingest(micro);
    List<Map<String, Object>> findings = rows("select * from findings order by id");
    long audit = count("audit");

    clock.advance(Duration.ofMinutes(5));
    assertThat(ingest(micro)).isEqualTo(new CaseStore.IngestResult(1, 0, 0, 1, 0, 0));
    assertThat(rows("select * from findings order by id")).isEqualTo(findings);
    assertThat(count("audit")).isEqualTo(audit);
  }

  @Test
  void aStrongerVerdictUpdatesAndAWeakerOneDoesNot() {
    importDemoRegistry();
    ingest(Findings.with(Findings.UNIVERSITY, "verdict", "likely"));
    long caseId = caseOf("10.20.1.15");

    clock.advance(Duration.ofMinutes(1));
    assertThat(ingest(Findings.UNIVERSITY)).isEqualTo(new CaseStore.IngestResult(1, 0, 1, 0, 0, 0));
    assertThat(rows("select verdict, updated_at from findings"))
        .singleElement()
        .satisfies(m -> assertThat(m.get("verdict")).isEqualTo("mining"));
    assertThat(count("cases")).isEqualTo(1);
    assertThat(caseOf("10.20.1.15")).isEqualTo(caseId);

    assertThat(ingest(Findings.with(Findings.UNIVERSITY, "verdict", "suspect")))
        .isEqualTo(new CaseStore.IngestResult(1, 0, 0, 1, 0, 0));
    assertThat(rows("select verdict from findings"))
        .extracting(m -> m.get("verdict"))
        .containsExactly("mining");
  }

  @Test
  void aFindingThatStartsBelowMiningOpensItsCaseWhenItBecomesMining() {
    importDemoRegistry();
    ingest(Findings.with(Findings.UNIVERSITY, "verdict", "suspect"));
    assertThat(count("findings")).isEqualTo(1);
    assertThat(count("cases")).isZero();

    assertThat(ingest(Findings.UNIVERSITY)).isEqualTo(new CaseStore.IngestResult(1, 0, 1, 0, 1, 0));
    assertThat(count("cases")).isEqualTo(1);
    assertThat(detail(caseOf("10.20.1.15")).findings()).hasSize(1);
  }

  @Test
  void aNewEstimateUpdatesTheFindingAndTheCase() {
    importDemoRegistry();
    ingest(Findings.UNIVERSITY);
    long caseId = caseOf("10.20.1.15");

    CaseStore.IngestResult r = ingest(Findings.kwh(Findings.UNIVERSITY, 120, 150.5, 300));

    assertThat(r).isEqualTo(new CaseStore.IngestResult(1, 0, 1, 0, 0, 0));
    assertThat(rows("select kwh_low, kwh_best, kwh_high from findings"))
        .singleElement()
        .isEqualTo(Map.of("kwh_low", 120.0, "kwh_best", 150.5, "kwh_high", 300.0));
    CaseViews.Summary s = detail(caseId).summary();
    assertThat(s.kwhPerDay()).containsExactly(120.0, 150.5, 300.0);
    // 150.5 kWh/day is industrial scale: +20 on top of the university's +30 and the compromise's
    // +5.
    assertThat(s.priority()).isEqualTo(55);
  }

  @Test
  void aLaterLastSeenUpdatesAndKeepsTheFirstSeen() {
    importDemoRegistry();
    ingest(Findings.UNIVERSITY);
    long caseId = caseOf("10.20.1.15");
    Instant later = Instant.parse("2021-11-09T08:00:00Z");

    CaseStore.IngestResult r =
        ingest(
            Findings.with(
                Findings.UNIVERSITY,
                n -> {
                  n.put("first_seen", "2021-11-08T05:00:00Z");
                  n.put("last_seen", later.toString());
                }));

    assertThat(r).isEqualTo(new CaseStore.IngestResult(1, 0, 1, 0, 0, 0));
    CaseViews.FindingView f = detail(caseId).findings().get(0);
    assertThat(f.firstSeen()).isEqualTo(Instant.parse("2021-11-08T01:17:00Z"));
    assertThat(f.lastSeen()).isEqualTo(later);
    assertThat(detail(caseId).summary().lastMiningAt()).isEqualTo(later);
    assertThat(lastAudit().detail())
        .isEqualTo("1 received: 0 new, 1 updated, 0 unchanged; 0 cases opened, 0 reopened");
  }

  static Stream<Arguments> malformed() {
    String u = Findings.UNIVERSITY;
    return Stream.of(
        Arguments.of("not JSON", "{\"host\": \"10.20.1.15\", ", null, "not valid JSON ("),
        Arguments.of("not an object", "[1, 2]", null, "not a JSON object (line 2)"),
        Arguments.of(
            "flows a string",
            Findings.with(u, "flows", "abc"),
            "flows",
            "flows: must be a whole number of at least 0, not \"abc\" (line 2)"),
        Arguments.of(
            "role unknown",
            Findings.with(u, "role", "wizard"),
            "role",
            "role: \"wizard\" is none of miner, node, pool (line 2)"),
        Arguments.of(
            "bytes negative",
            Findings.with(u, "bytes", -5),
            "bytes",
            "bytes: must be a whole number of at least 0, not -5 (line 2)"),
        Arguments.of(
            "host not an address",
            Findings.with(u, "host", "10.20.1.999"),
            "host",
            "host: \"10.20.1.999\" is not an IP address (line 2)"),
        Arguments.of(
            "host missing",
            Findings.with(u, n -> n.remove("host")),
            "host",
            "host: is missing (line 2)"),
        Arguments.of(
            "time not ISO",
            Findings.with(u, "last_seen", "yesterday"),
            "last_seen",
            "last_seen: \"yesterday\" is not an ISO-8601 instant such as 2021-11-08T01:17:00Z (line 2)"),
        Arguments.of(
            "last before first",
            Findings.with(u, "last_seen", "2021-11-08T01:00:00Z"),
            "last_seen",
            "last_seen: is before first_seen (line 2)"),
        Arguments.of(
            "verdict a number",
            Findings.with(u, "verdict", 3),
            "verdict",
            "verdict: must be a string, not number (line 2)"),
        Arguments.of(
            "estimate out of order",
            Findings.kwh(u, 5, 1, 9),
            "kwh_per_day",
            "kwh_per_day: low, best and high are out of order (line 2)"),
        Arguments.of(
            "hash rate negative",
            Findings.with(u, n -> n.with("hashrate").put("value", -1)),
            "hashrate.value",
            "hashrate.value: must be a number of at least 0, not -1 (line 2)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void aMalformedLineRefusesTheWholeRequestNamingLineAndField(
      String what, String bad, String field, String message) {
    importDemoRegistry();
    ingest(Findings.UNIVERSITY);
    Map<String, Long> before = tableCounts();

    // Line 1 is good and new, line 2 is bad, line 3 is good: nothing of the request is kept.
    Problem p =
        problem(
            () ->
                gov.ingest(SENSOR, Findings.body(Findings.GOVERNMENT, bad, Findings.RESIDENTIAL)));

    assertThat(p.kind()).isEqualTo(Problem.Kind.INVALID);
    assertThat(p.field()).isEqualTo(field);
    assertThat(p.line()).isEqualTo(2);
    assertThat(p.getMessage()).startsWith(message).endsWith("(line 2)");
    assertThat(tableCounts()).isEqualTo(before);
  }

  @Test
  void overlongTextFromTheWireIsStoredToTheColumnsWidthsAndWholeInTheBody() {
    importDemoRegistry();
    // What a miner sends as its agent, login and worker is the attacker's to choose; a scan writes
    // it as seen.
    String agent = "XMRig/6.16.4 " + "A".repeat(2000);
    String login = "4".repeat(700);
    String line =
        Findings.with(
            Findings.UNIVERSITY,
            n -> {
              n.put("agent", agent);
              n.put("login", login);
              n.put("worker", "w".repeat(400));
              n.put("wallet", login);
              n.put("pool_name", "p".repeat(400));
              n.put("operation", "op-" + "9".repeat(200));
              n.put("coin", "c".repeat(50));
              n.put("algorithm", "a".repeat(50));
              n.put("source", "s".repeat(50));
              n.with("hashrate").put("unit", "H/s".repeat(5));
            });

    CaseStore.IngestResult r = ingest(line, Findings.GOVERNMENT);

    assertThat(r).isEqualTo(new CaseStore.IngestResult(2, 2, 0, 0, 2, 0));
    assertThat(
            rows(
                "select agent, login, worker, wallet, pool_name, operation, coin, algorithm, source, hashrate_unit, "
                    + "body from findings where host = '10.20.1.15'"))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.get("agent")).isEqualTo(agent.substring(0, 500));
              assertThat(m.get("login")).isEqualTo(login.substring(0, 500));
              assertThat(m.get("worker")).isEqualTo("w".repeat(300));
              assertThat(m.get("wallet")).isEqualTo(login.substring(0, 300));
              assertThat(m.get("pool_name")).isEqualTo("p".repeat(300));
              assertThat(m.get("operation")).isEqualTo("op-" + "9".repeat(97));
              assertThat(m.get("coin")).isEqualTo("c".repeat(40));
              assertThat(m.get("algorithm")).isEqualTo("a".repeat(40));
              assertThat(m.get("source")).isEqualTo("s".repeat(30));
              assertThat(m.get("hashrate_unit")).isEqualTo("H/sH/sH/sH");
              assertThat((String) m.get("body")).contains(agent, login);
            });
    // Sent again, it is the same finding.
    assertThat(ingest(line)).isEqualTo(new CaseStore.IngestResult(1, 0, 0, 1, 0, 0));
  }

  @Test
  void aLongTextIsNotCutInsideACharacter() {
    String emoji = "\uD83D\uDE00";
    String agent = "a".repeat(499) + emoji;
    assertThat(
            FindingParser.parse(Findings.with(Findings.UNIVERSITY, "agent", agent), 1)
                .host()
                .agent())
        .isEqualTo("a".repeat(499));
    assertThat(
            FindingParser.parse(
                    Findings.with(Findings.UNIVERSITY, "agent", "a".repeat(498) + emoji), 1)
                .host()
                .agent())
        .isEqualTo("a".repeat(498) + emoji);
  }

  @Test
  void hostsNoUnitHoldsGetOneCaseEachAddress() {
    importDemoRegistry();
    String a = Findings.host(Findings.UNIVERSITY, "172.16.0.5");
    String b = Findings.host(Findings.UNIVERSITY, "172.16.0.6");
    // The same address again under another protocol: a second finding, the same case.
    String a2 = Findings.with(Findings.host(Findings.GOVERNMENT, "172.16.0.5"), "wallet", null);

    CaseStore.IngestResult r = ingest(a, b, a2);

    assertThat(r).isEqualTo(new CaseStore.IngestResult(3, 3, 0, 0, 2, 0));
    List<CaseViews.Summary> cases =
        gov.listCases(
                ADMIN,
                new CaseQuery(List.of(), null, null, null, null, null, null, "number", 1, 50))
            .cases();
    assertThat(cases)
        .extracting(
            CaseViews.Summary::number,
            CaseViews.Summary::host,
            CaseViews.Summary::unitName,
            CaseViews.Summary::regionCode,
            CaseViews.Summary::hosts)
        .containsExactly(
            tuple("MW-2026-000001", "172.16.0.5", null, null, 1),
            tuple("MW-2026-000002", "172.16.0.6", null, null, 1));
    assertThat(detail(cases.get(0).id()).findings())
        .extracting(CaseViews.FindingView::protocol)
        .containsExactly("stratum-xmr", "stratum-v1");
  }

  @Test
  void twoHostsOfOneUnitShareOneCase() {
    importDemoRegistry();
    ingest(Findings.UNIVERSITY);
    CaseStore.IngestResult r = ingest(Findings.host(Findings.UNIVERSITY, "10.20.1.16"));

    assertThat(r).isEqualTo(new CaseStore.IngestResult(1, 1, 0, 0, 0, 0));
    assertThat(count("cases")).isEqualTo(1);
    CaseViews.Detail d = detail(caseOf("10.20.1.15"));
    assertThat(d.hosts()).containsExactly("10.20.1.15", "10.20.1.16");
    assertThat(d.summary().hosts()).isEqualTo(2);
    assertThat(d.summary().kwhPerDay()).containsExactly(2 * 0.08709, 0.8, 2 * 1.579);
    assertThat(d.history())
        .extracting(CaseViews.Event::kind, CaseViews.Event::note)
        .containsExactly(
            tuple("host", "mining host 10.20.1.15 added"),
            tuple("host", "mining host 10.20.1.16 added"));
  }

  @Test
  void onlySensorsAndTheAdministratorIngest() {
    importDemoRegistry();
    assertThat(gov.ingest(ADMIN, Findings.body(Findings.UNIVERSITY)).created()).isEqualTo(1);
    long audit = count("audit");

    Problem p = problem(() -> gov.ingest(AUDITOR, Findings.body(Findings.GOVERNMENT)));

    assertThat(p.kind()).isEqualTo(Problem.Kind.FORBIDDEN);
    assertThat(count("findings")).isEqualTo(1);
    assertThat(count("audit")).isEqualTo(audit + 1);
    assertThat(lastAudit())
        .extracting(e -> e.actor(), e -> e.action(), e -> e.subject(), e -> e.detail())
        .containsExactly("auditor", "denied", "findings", "ingest by role auditor");
  }

  @Test
  void moreThanTheLimitOfLinesIsTooLarge() {
    String line = "{\"host\":\"172.16.0.1\",\"role\":\"miner\",\"verdict\":\"mining\"}";
    String body = (line + "\n").repeat(org.minewatch.governance.Governance.MAX_INGEST_LINES + 1);

    Problem p = problem(() -> gov.ingest(SENSOR, body));

    assertThat(p.kind()).isEqualTo(Problem.Kind.TOO_LARGE);
    assertThat(count("findings")).isZero();
  }
}
