package org.minewatch.governance.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.minewatch.governance.Findings;
import org.minewatch.governance.GovernanceTestBase;
import org.minewatch.governance.Problem;
import org.minewatch.governance.audit.AuditLog;

/** Re-checking is the data: fresh mining from a case's hosts reopens it. */
class RecheckTest extends GovernanceTestBase {

  /** The university's case in {@code state}, entered at the returned instant. */
  private long universityIn(CaseState state) {
    sampleCases();
    long c = caseOf("10.20.1.15");
    walk(c, state);
    return c;
  }

  private Instant since(long caseId) {
    return detail(caseId).summary().stateSince();
  }

  @ParameterizedTest
  @EnumSource(
      value = CaseState.class,
      names = {"RECTIFYING", "RECHECKED", "CLOSED"})
  void freshMiningReopensTheCaseWithAnAlert(CaseState state) {
    long c = universityIn(state);
    Instant since = since(c);
    clock.advance(Duration.ofDays(2));
    Instant seen = since.plus(Duration.ofDays(1));
    long auditBefore = count("audit");

    CaseStore.IngestResult r =
        ingest(Findings.with(Findings.UNIVERSITY, "last_seen", seen.toString()));

    assertThat(r).isEqualTo(new CaseStore.IngestResult(1, 0, 1, 0, 0, 1));
    String why =
        "mining from 10.20.1.15 seen at "
            + seen
            + " (stratum-xmr, mining) after the case entered "
            + state.label()
            + " at "
            + since;
    CaseViews.Detail d = detail(c);
    assertThat(d.summary().state()).isEqualTo("reopened");
    assertThat(d.summary().stateSince()).isEqualTo(clock.instant());
    assertThat(d.summary().lastMiningAt()).isEqualTo(seen);
    assertThat(d.alerts())
        .extracting(CaseViews.Alert::kind, CaseViews.Alert::message, CaseViews.Alert::at)
        .containsExactly(tuple("reopened", why, clock.instant()));
    assertThat(d.history())
        .last()
        .extracting(
            CaseViews.Event::kind,
            CaseViews.Event::actor,
            CaseViews.Event::from,
            CaseViews.Event::to,
            CaseViews.Event::note)
        .containsExactly("transition", "system", state.label(), "reopened", why);
    assertThat(audit().subList((int) auditBefore, (int) auditBefore + 2))
        .extracting(
            AuditLog.Entry::actor,
            AuditLog.Entry::action,
            AuditLog.Entry::subject,
            AuditLog.Entry::detail)
        .containsExactly(
            tuple("system", "case.reopen", "case " + c, why),
            tuple(
                "sensor-1",
                "ingest",
                "findings",
                "1 received: 0 new, 1 updated, 0 unchanged; 0 cases opened, 1 reopened"));
    assertThat(gov.alerts(NANJING)).extracting(CaseViews.Alert::caseId).containsExactly(c);
    assertThat(gov.alerts(SUZHOU)).isEmpty();

    // The same finding again is no news: nothing more happens.
    assertThat(ingest(Findings.with(Findings.UNIVERSITY, "last_seen", seen.toString())))
        .isEqualTo(new CaseStore.IngestResult(1, 0, 0, 1, 0, 0));
    assertThat(detail(c).alerts()).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(
      value = CaseState.class,
      names = {"RECTIFYING", "RECHECKED", "CLOSED"})
  void miningSeenBeforeTheStateBeganDoesNotReopen(CaseState state) {
    long c = universityIn(state);
    clock.advance(Duration.ofDays(2));
    // Later than what was stored (2021-11-08), but long before the case entered its state.
    String old = Findings.with(Findings.UNIVERSITY, "last_seen", "2021-11-20T00:00:00Z");

    CaseStore.IngestResult r = ingest(old);

    assertThat(r).isEqualTo(new CaseStore.IngestResult(1, 0, 1, 0, 0, 0));
    assertThat(state(c)).isEqualTo(state.label());
    assertThat(detail(c).alerts()).isEmpty();
    assertThat(detail(c).summary().lastMiningAt()).isEqualTo(Instant.parse("2021-11-20T00:00:00Z"));
    assertThat(rows("select count(*) as n from audit where action = 'case.reopen'").get(0).get("n"))
        .isEqualTo(0L);
  }

  @Test
  void miningBeforeTheRectifyingStateDoesNotReopen() {
    long c = universityIn(CaseState.DISPOSED);
    clock.advance(Duration.ofDays(1));
    String fresh = Findings.with(Findings.UNIVERSITY, "last_seen", clock.instant().toString());

    // In disposed, fresh mining is expected: the case is worked on; it does not reopen.
    assertThat(ingest(fresh).casesReopened()).isZero();
    assertThat(state(c)).isEqualTo("disposed");
  }

  @Test
  void aBitcoinNodeOfTheHostIsNotMining() {
    long c = universityIn(CaseState.RECTIFYING);
    clock.advance(Duration.ofDays(1));
    String node =
        Findings.with(
            Findings.UNIVERSITY,
            n -> {
              n.put("role", "node");
              n.put("verdict", "node");
              n.put("protocol", "bitcoin-p2p");
              n.put("last_seen", clock.instant().toString());
            });

    CaseStore.IngestResult r = ingest(node);

    assertThat(r).isEqualTo(new CaseStore.IngestResult(1, 1, 0, 0, 0, 0));
    assertThat(state(c)).isEqualTo("rectifying");
    // The node joins the host's case as a finding, without changing its mining figures.
    assertThat(detail(c).findings())
        .extracting(CaseViews.FindingView::role)
        .containsExactly("miner", "node");
  }

  @Test
  void aNewMiningHostOfTheUnitReopensItsCaseUnderRectification() {
    long c = universityIn(CaseState.RECTIFYING);
    clock.advance(Duration.ofDays(1));
    Instant seen = clock.instant().minus(Duration.ofHours(1));
    String other =
        Findings.with(
            Findings.host(Findings.UNIVERSITY, "10.20.1.16"), "last_seen", seen.toString());

    CaseStore.IngestResult r = ingest(other);

    assertThat(r).isEqualTo(new CaseStore.IngestResult(1, 1, 0, 0, 0, 1));
    CaseViews.Detail d = detail(c);
    assertThat(d.hosts()).containsExactly("10.20.1.15", "10.20.1.16");
    assertThat(d.summary().state()).isEqualTo("reopened");
    assertThat(d.alerts())
        .extracting(CaseViews.Alert::message)
        .containsExactly(
            "mining from 10.20.1.16 seen at "
                + seen
                + " (stratum-xmr, mining) after the case entered rectifying at "
                + START);
  }

  @Test
  void aNewMiningHostOfAUnitWhoseCaseIsClosedOpensANewCase() {
    long c = universityIn(CaseState.CLOSED);
    clock.advance(Duration.ofDays(1));
    String other =
        Findings.with(
            Findings.host(Findings.UNIVERSITY, "10.20.1.16"),
            "last_seen",
            clock.instant().toString());

    CaseStore.IngestResult r = ingest(other);

    assertThat(r).isEqualTo(new CaseStore.IngestResult(1, 1, 0, 0, 1, 0));
    assertThat(state(c)).isEqualTo("closed");
    long fresh = caseOf("10.20.1.16");
    assertThat(fresh).isNotEqualTo(c);
    assertThat(detail(fresh).summary())
        .extracting(
            CaseViews.Summary::number, CaseViews.Summary::unitCode, CaseViews.Summary::state)
        .containsExactly("MW-2026-000004", Findings.UNIVERSITY_CODE, "detected");
    assertThat(
            gov.listCases(
                    ADMIN,
                    new CaseQuery(
                        List.of(CaseState.CLOSED),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        "number",
                        1,
                        10))
                .cases())
        .extracting(CaseViews.Summary::id)
        .containsExactly(c);
  }

  @Test
  void aRejectedFalsePositiveStaysRejectedWhenItsOldFindingIsSentAgain() {
    sampleCases();
    long c = caseOf("10.20.1.15");
    clock.advance(Duration.ofDays(1));
    move(NANJING, c, CaseState.REJECTED);

    // The same mining (last seen in 2021) with a new estimate and a later time, still before the
    // rejection.
    CaseStore.IngestResult r =
        ingest(
            Findings.with(
                Findings.kwh(Findings.UNIVERSITY, 1, 2, 3), "last_seen", "2021-11-09T00:00:00Z"));

    assertThat(r).isEqualTo(new CaseStore.IngestResult(1, 0, 1, 0, 0, 0));
    assertThat(count("cases")).isEqualTo(3);
    assertThat(state(c)).isEqualTo("rejected");
    assertThat(detail(c).findings())
        .extracting(CaseViews.FindingView::lastSeen)
        .containsExactly(Instant.parse("2021-11-09T00:00:00Z"));

    // Mining seen after the rejection is new: a new case.
    Instant seen = clock.instant().plus(Duration.ofHours(1));
    clock.advance(Duration.ofDays(1));
    assertThat(ingest(Findings.with(Findings.UNIVERSITY, "last_seen", seen.toString())))
        .isEqualTo(new CaseStore.IngestResult(1, 0, 1, 0, 1, 0));
    long fresh = caseOf("10.20.1.15");
    assertThat(fresh).isNotEqualTo(c);
    assertThat(detail(fresh).summary().number()).isEqualTo("MW-2026-000004");
    assertThat(state(c)).isEqualTo("rejected");
  }

  @Test
  void alertsAreSeenAndAcknowledgedWithinTheCasesRegionOrUnit() {
    long c = universityIn(CaseState.RECTIFYING);
    long government = caseOf("10.20.7.33");
    walk(government, CaseState.RECTIFYING);
    clock.advance(Duration.ofDays(1));
    String seen = clock.instant().minus(Duration.ofHours(1)).toString();
    ingest(
        Findings.with(Findings.UNIVERSITY, "last_seen", seen),
        Findings.with(Findings.GOVERNMENT, "last_seen", seen));

    assertThat(gov.alerts(ADMIN))
        .extracting(CaseViews.Alert::caseId)
        .containsExactly(c, government);
    assertThat(gov.alerts(NANJING)).extracting(CaseViews.Alert::caseId).containsExactly(c);
    // The university's contact sees its own unit's alert, not the government unit's.
    assertThat(gov.alerts(UNIT)).extracting(CaseViews.Alert::caseId).containsExactly(c);
    long alert = gov.alerts(NANJING).get(0).id();

    long audit = count("audit");
    assertThat(problem(() -> gov.acknowledgeAlert(SUZHOU, alert)).kind())
        .isEqualTo(Problem.Kind.FORBIDDEN);
    assertThat(lastAudit())
        .extracting(AuditLog.Entry::actor, AuditLog.Entry::action)
        .containsExactly("suzhou", "denied");
    assertThat(count("audit")).isEqualTo(audit + 1);
    assertThat(problem(() -> gov.acknowledgeAlert(UNIT, alert)).kind())
        .isEqualTo(Problem.Kind.FORBIDDEN);

    gov.acknowledgeAlert(NANJING, alert);
    assertThat(gov.alerts(NANJING)).isEmpty();
    assertThat(detail(c).alerts())
        .singleElement()
        .extracting(CaseViews.Alert::acknowledgedBy, CaseViews.Alert::acknowledgedAt)
        .containsExactly("nanjing", clock.instant());
    assertThat(problem(() -> gov.acknowledgeAlert(NANJING, alert)).kind())
        .isEqualTo(Problem.Kind.NOT_FOUND);
    assertThat(problem(() -> gov.acknowledgeAlert(ADMIN, 999)).kind())
        .isEqualTo(Problem.Kind.NOT_FOUND);
  }

  @Test
  void aClosedCaseWaitsForQuietDaysAgainAfterItIsReopenedByData() {
    long c = universityIn(CaseState.RECHECKED);
    clock.advance(Duration.ofDays(3));
    ingest(
        Findings.with(
            Findings.UNIVERSITY,
            "last_seen",
            clock.instant().minus(Duration.ofHours(2)).toString()));
    assertThat(state(c)).isEqualTo("reopened");

    move(NANJING, c, CaseState.RECTIFYING);
    move(NANJING, c, CaseState.RECHECKED);
    clock.advance(Duration.ofDays(13));
    assertThat(problem(() -> move(NANJING, c, CaseState.CLOSED)).kind())
        .isEqualTo(Problem.Kind.CONFLICT);
    clock.advance(Duration.ofDays(1));
    move(NANJING, c, CaseState.CLOSED);
    assertThat(state(c)).isEqualTo("closed");
  }
}
