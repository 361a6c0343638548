package org.minewatch.governance.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.minewatch.governance.Governance;
import org.minewatch.governance.GovernanceTestBase;
import org.minewatch.governance.Problem;
import org.minewatch.governance.Settings;
import org.minewatch.governance.audit.AuditLog;
import org.minewatch.governance.order.TariffPolicies;
import org.minewatch.governance.store.Times;
import org.minewatch.governance.user.Role;
import org.minewatch.governance.user.User;

/**
 * The lifecycle: every state in order, what each transition needs, who may make it and from where.
 */
class LifecycleTest extends GovernanceTestBase {

  private long university() {
    sampleCases();
    return caseOf("10.20.1.15");
  }

  @Test
  void aCaseWalksFromDetectedToClosedWithTheRegionsOfficer() {
    long c = university();

    move(NANJING, c, CaseState.DISPATCHED);
    assertThat(detail(c).summary().deadline()).isEqualTo(START.plus(Duration.ofDays(5)));
    clock.advance(Duration.ofDays(1));
    gov.transition(
        NANJING,
        c,
        new CaseStore.TransitionRequest(
            CaseState.OWNERSHIP_VERIFIED,
            "the address is the university's staff subnet",
            null,
            null));
    gov.transition(
        NANJING,
        c,
        new CaseStore.TransitionRequest(
            CaseState.INSPECTED,
            null,
            Map.of("devices", 2, "mining", "compromised", "notes", "two lab servers ran XMRig"),
            null));
    move(NANJING, c, CaseState.DISPOSED);
    Instant disposedAt = clock.instant();
    gov.transition(
        NANJING, c, new CaseStore.TransitionRequest(CaseState.RECTIFYING, null, null, 20));
    assertThat(detail(c).summary().deadline()).isEqualTo(disposedAt.plus(Duration.ofDays(20)));
    clock.advance(Duration.ofDays(10));
    move(NANJING, c, CaseState.RECHECKED);
    Instant recheckedAt = clock.instant();

    // Closing waits for the quiet days after the re-check began.
    clock.advance(Duration.ofDays(14).minusMinutes(1));
    Problem early = problem(() -> move(NANJING, c, CaseState.CLOSED));
    assertThat(early.kind()).isEqualTo(Problem.Kind.CONFLICT);
    assertThat(early.getMessage())
        .isEqualTo(
            "a case closes only after 14 days of monitoring with no mining from its "
                + "hosts: quiet since "
                + recheckedAt
                + ", so not before "
                + recheckedAt.plus(Duration.ofDays(14)));
    assertThat(state(c)).isEqualTo("rechecked");
    clock.advance(Duration.ofMinutes(1));
    CaseViews.Detail closed = move(NANJING, c, CaseState.CLOSED);

    assertThat(closed.summary().state()).isEqualTo("closed");
    assertThat(closed.summary().overdue()).isFalse();
    assertThat(rows("select closed_at from cases where id = " + c))
        .singleElement()
        .satisfies(m -> assertThat(m.get("closed_at")).isNotNull());
    assertThat(closed.history().stream().filter(e -> e.kind().equals("transition")).toList())
        .extracting(CaseViews.Event::actor, CaseViews.Event::from, CaseViews.Event::to)
        .containsExactly(
            tuple("nanjing", "detected", "dispatched"),
            tuple("nanjing", "dispatched", "ownership-verified"),
            tuple("nanjing", "ownership-verified", "inspected"),
            tuple("nanjing", "inspected", "disposed"),
            tuple("nanjing", "disposed", "rectifying"),
            tuple("nanjing", "rectifying", "rechecked"),
            tuple("nanjing", "rechecked", "closed"));
    assertThat(closed.history())
        .filteredOn(e -> "inspected".equals(e.to()))
        .singleElement()
        .extracting(CaseViews.Event::data)
        .isEqualTo(
            "{\"devices\":2,\"mining\":\"compromised\",\"notes\":\"two lab servers ran XMRig\"}");
    assertThat(rows("select detail from audit where action = 'case.transition' order by seq"))
        .extracting(m -> m.get("detail"))
        .containsExactly(
            "detected -> dispatched: note for dispatched",
            "dispatched -> ownership-verified: the address is the university's staff subnet",
            "ownership-verified -> inspected",
            "inspected -> disposed: note for disposed",
            "disposed -> rectifying",
            "rectifying -> rechecked: note for rechecked",
            "rechecked -> closed: note for closed");
    assertThat(closed.next()).containsExactly("reopened");
  }

  static Stream<Arguments> badInspections() {
    return Stream.of(
        Arguments.of(null, "inspection"),
        Arguments.of(Map.of("mining", "deliberate", "notes", "x"), "inspection.devices"),
        Arguments.of(
            Map.of("devices", -1, "mining", "deliberate", "notes", "x"), "inspection.devices"),
        Arguments.of(
            Map.of("devices", 2.5, "mining", "deliberate", "notes", "x"), "inspection.devices"),
        Arguments.of(
            Map.of("devices", "2", "mining", "deliberate", "notes", "x"), "inspection.devices"),
        Arguments.of(Map.of("devices", 2, "notes", "x"), "inspection.mining"),
        Arguments.of(Map.of("devices", 2, "mining", "maybe", "notes", "x"), "inspection.mining"),
        Arguments.of(Map.of("devices", 2, "mining", "deliberate"), "inspection.notes"),
        Arguments.of(
            Map.of("devices", 2, "mining", "deliberate", "notes", "  "), "inspection.notes"));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("badInspections")
  void inspectedNeedsTheInspectionRecord(Map<String, Object> inspection, String field) {
    long c = university();
    walk(c, CaseState.OWNERSHIP_VERIFIED);
    long events = count("case_events");

    Problem p =
        problem(
            () ->
                gov.transition(
                    NANJING,
                    c,
                    new CaseStore.TransitionRequest(
                        CaseState.INSPECTED, "note", inspection, null)));

    assertThat(p.kind()).isEqualTo(Problem.Kind.INVALID);
    assertThat(p.field()).isEqualTo(field);
    assertThat(state(c)).isEqualTo("ownership-verified");
    assertThat(count("case_events")).isEqualTo(events);
  }

  @Test
  void transitionsThatNeedANoteRefuseWithoutOne() {
    long c = university();
    move(NANJING, c, CaseState.DISPATCHED);
    for (CaseState to : List.of(CaseState.OWNERSHIP_VERIFIED, CaseState.REJECTED)) {
      Problem p =
          problem(
              () ->
                  gov.transition(
                      NANJING, c, new CaseStore.TransitionRequest(to, "   ", null, null)));
      assertThat(p.kind()).isEqualTo(Problem.Kind.INVALID);
      assertThat(p.field()).isEqualTo("note");
    }
    assertThat(state(c)).isEqualTo("dispatched");

    gov.transition(
        NANJING,
        c,
        new CaseStore.TransitionRequest(
            CaseState.REJECTED,
            "a load test of the university's own pool, not mining",
            null,
            null));
    assertThat(state(c)).isEqualTo("rejected");
    assertThat(detail(c).history())
        .last()
        .extracting(CaseViews.Event::note)
        .isEqualTo("a load test of the university's own pool, not mining");
  }

  @Test
  void theRectificationDeadlineIsOneToThreeHundredSixtyFiveDays() {
    long c = university();
    walk(c, CaseState.DISPOSED);
    for (int days : new int[] {0, 366}) {
      Problem p =
          problem(
              () ->
                  gov.transition(
                      NANJING,
                      c,
                      new CaseStore.TransitionRequest(CaseState.RECTIFYING, null, null, days)));
      assertThat(p.kind()).isEqualTo(Problem.Kind.INVALID);
      assertThat(p.field()).isEqualTo("deadline_days");
    }
    move(NANJING, c, CaseState.RECTIFYING);
    // Without days: the configured rectification period.
    assertThat(detail(c).summary().deadline()).isEqualTo(clock.instant().plus(Duration.ofDays(30)));
  }

  @TestFactory
  Stream<DynamicTest> everyMoveOutsideTheTableIsAConflict() {
    long c = university();
    List<DynamicTest> tests = new ArrayList<>();
    for (CaseState from : CaseState.values()) {
      for (CaseState to : CaseState.values()) {
        if (Lifecycle.find(from, to).isPresent()) {
          continue;
        }
        tests.add(
            DynamicTest.dynamicTest(
                from.label() + " -> " + to.label(),
                () -> {
                  put(c, from, START.minus(Duration.ofDays(100)));
                  long events = count("case_events");
                  Problem p = problem(() -> move(ADMIN, c, to));
                  assertThat(p.kind()).isEqualTo(Problem.Kind.CONFLICT);
                  assertThat(p.getMessage())
                      .startsWith("a case in " + from.label() + " cannot move to " + to.label());
                  assertThat(state(c)).isEqualTo(from.label());
                  assertThat(count("case_events")).isEqualTo(events);
                }));
      }
    }
    // 10 × 10 pairs, of which the table allows 18.
    assertThat(tests).hasSize(100 - Lifecycle.table().size());
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> everyTransitionIsAllowedToItsRolesAndRefusedToEveryOther() {
    long c = university();
    List<DynamicTest> tests = new ArrayList<>();
    for (Lifecycle.Transition t : Lifecycle.table()) {
      for (Role role : Role.values()) {
        User u = user(role);
        boolean allowed = t.roles().contains(role);
        tests.add(
            DynamicTest.dynamicTest(
                t.from().label()
                    + " -> "
                    + t.to().label()
                    + " by "
                    + role.label()
                    + (allowed ? " (allowed)" : " (refused)"),
                () -> {
                  put(c, t.from(), START.minus(Duration.ofDays(100)));
                  long audit = count("audit");
                  if (allowed) {
                    CaseViews.Detail d = move(u, c, t.to());
                    assertThat(d.summary().state()).isEqualTo(t.to().label());
                    assertThat(d.history())
                        .last()
                        .extracting(
                            CaseViews.Event::actor, CaseViews.Event::from, CaseViews.Event::to)
                        .containsExactly(u.name(), t.from().label(), t.to().label());
                    assertThat(lastAudit())
                        .extracting(AuditLog.Entry::actor, AuditLog.Entry::action)
                        .containsExactly(u.name(), "case.transition");
                  } else {
                    Problem p = problem(() -> move(u, c, t.to()));
                    assertThat(p.kind()).isEqualTo(Problem.Kind.FORBIDDEN);
                    assertThat(state(c)).isEqualTo(t.from().label());
                    assertThat(count("audit")).isEqualTo(audit + 1);
                    assertThat(lastAudit())
                        .extracting(
                            AuditLog.Entry::actor,
                            AuditLog.Entry::action,
                            AuditLog.Entry::subject,
                            AuditLog.Entry::detail)
                        .containsExactly(
                            u.name(), "denied", "case " + c, "transition by role " + role.label());
                  }
                }));
      }
    }
    assertThat(Lifecycle.table()).hasSize(18);
    return tests.stream();
  }

  @Test
  void anOfficerOfAnotherRegionIsRefusedAndTheRefusalAudited() {
    long c = university();
    long audit = count("audit");

    Problem p = problem(() -> move(SUZHOU, c, CaseState.DISPATCHED));

    assertThat(p.kind()).isEqualTo(Problem.Kind.FORBIDDEN);
    assertThat(p.getMessage()).isEqualTo("this is outside suzhou's region");
    assertThat(state(c)).isEqualTo("detected");
    assertThat(count("audit")).isEqualTo(audit + 1);
    assertThat(lastAudit())
        .extracting(AuditLog.Entry::actor, AuditLog.Entry::action, AuditLog.Entry::subject)
        .containsExactly("suzhou", "denied", "case " + c);
    // Nor may Suzhou read the case; the residential subscriber's case in Suzhou it may move.
    assertThat(problem(() -> gov.caseDetail(SUZHOU, c)).kind()).isEqualTo(Problem.Kind.FORBIDDEN);
    long suzhouCase = caseOf("192.168.40.9");
    assertThat(move(SUZHOU, suzhouCase, CaseState.DISPATCHED).summary().state())
        .isEqualTo("dispatched");
  }

  @Test
  void theProvincesOfficerActsOnEveryCityBelowIt() {
    long c = university();
    User jiangsu = new User(20, "jiangsu", Role.REGIONAL_OFFICER, "320000", null, false);
    User otherProvince = new User(21, "zhejiang", Role.REGIONAL_OFFICER, "330000", null, false);

    assertThat(move(jiangsu, c, CaseState.DISPATCHED).summary().state()).isEqualTo("dispatched");
    assertThat(problem(() -> move(otherProvince, c, CaseState.OWNERSHIP_VERIFIED)).kind())
        .isEqualTo(Problem.Kind.FORBIDDEN);
  }

  @Test
  void aClosedCaseIsReopenedWithANoteAndRaisesAnAlert() {
    long c = university();
    walk(c, CaseState.CLOSED);
    assertThat(
            problem(
                    () ->
                        gov.transition(
                            NANJING,
                            c,
                            new CaseStore.TransitionRequest(CaseState.REOPENED, null, null, null)))
                .field())
        .isEqualTo("note");

    gov.transition(
        NANJING,
        c,
        new CaseStore.TransitionRequest(
            CaseState.REOPENED, "a complaint: the lab mines again", null, null));

    CaseViews.Detail d = detail(c);
    assertThat(d.summary().state()).isEqualTo("reopened");
    assertThat(d.summary().deadline()).isEqualTo(clock.instant().plus(Duration.ofDays(3)));
    assertThat(rows("select closed_at from cases where id = " + c).get(0).get("closed_at"))
        .isNull();
    assertThat(d.alerts())
        .extracting(CaseViews.Alert::kind, CaseViews.Alert::message)
        .containsExactly(
            tuple("reopened", "reopened by nanjing: a complaint: the lab mines again"));
    assertThat(d.next())
        .containsExactly("rejected", "dispatched", "inspected", "disposed", "rectifying");
    move(NANJING, c, CaseState.DISPATCHED);
    assertThat(state(c)).isEqualTo("dispatched");
  }

  @Test
  void aRejectedCaseCanBeReopened() {
    long c = university();
    move(NANJING, c, CaseState.REJECTED);
    move(NANJING, c, CaseState.REOPENED);
    assertThat(state(c)).isEqualTo("reopened");
  }

  @Test
  void casesPastTheirStatesDeadlineAreOverdue() {
    sampleCases();
    long c = caseOf("10.20.1.15");
    CaseQuery overdue =
        new CaseQuery(List.of(), null, null, null, null, null, true, "number", 1, 50);

    clock.advance(Duration.ofDays(3));
    assertThat(detail(c).summary().overdue()).isFalse();
    assertThat(gov.listCases(ADMIN, overdue).cases()).isEmpty();

    clock.advance(Duration.ofMinutes(1));
    assertThat(detail(c).summary().overdue()).isTrue();
    assertThat(gov.listCases(ADMIN, overdue).cases())
        .extracting(CaseViews.Summary::number)
        .containsExactly("MW-2026-000001", "MW-2026-000002", "MW-2026-000003");

    // A transition starts the next state's clock; a rejected case is never overdue.
    move(NANJING, c, CaseState.DISPATCHED);
    move(ADMIN, caseOf("10.20.7.33"), CaseState.REJECTED);
    assertThat(gov.listCases(ADMIN, overdue).cases())
        .extracting(CaseViews.Summary::number)
        .containsExactly("MW-2026-000003");
    assertThat(
            gov.listCases(
                    ADMIN,
                    new CaseQuery(List.of(), null, null, null, null, null, false, "number", 1, 50))
                .cases())
        .extracting(CaseViews.Summary::number)
        .containsExactly("MW-2026-000001", "MW-2026-000002");
  }

  @Test
  void deadlinesAndQuietDaysAreTheAdministrationsSettings() {
    Map<CaseState, Duration> deadlines = new EnumMap<>(Settings.defaults().deadlines());
    deadlines.put(CaseState.DISPATCHED, Duration.ofDays(1));
    gov = new Governance(database, clock, new Settings(deadlines, 10, 2), TariffPolicies.builtIn());
    long c = university();

    move(NANJING, c, CaseState.DISPATCHED);
    assertThat(detail(c).summary().deadline()).isEqualTo(START.plus(Duration.ofDays(1)));
    walk(c, CaseState.DISPOSED);
    move(NANJING, c, CaseState.RECTIFYING);
    assertThat(detail(c).summary().deadline()).isEqualTo(START.plus(Duration.ofDays(10)));
    move(NANJING, c, CaseState.RECHECKED);
    clock.advance(Duration.ofDays(2).minusSeconds(1));
    assertThat(problem(() -> move(NANJING, c, CaseState.CLOSED)).kind())
        .isEqualTo(Problem.Kind.CONFLICT);
    clock.advance(Duration.ofSeconds(1));
    assertThat(move(NANJING, c, CaseState.CLOSED).summary().state()).isEqualTo("closed");
  }

  @Test
  void aCaseThatDoesNotExistIsNotFound() {
    sampleCases();
    assertThat(problem(() -> move(ADMIN, 999, CaseState.DISPATCHED)).kind())
        .isEqualTo(Problem.Kind.NOT_FOUND);
  }

  @Test
  void theCasePageOffersTheMovesTheViewerMayMake() {
    long c = university();
    assertThat(gov.caseDetail(NANJING, c).next()).containsExactly("dispatched", "rejected");
    assertThat(gov.caseDetail(AUDITOR, c).next()).isEmpty();
    assertThat(gov.caseDetail(UNIT, c).next()).isEmpty();
  }

  @Test
  void tasksHaveAnOwnerAndADeadline() {
    long c = university();
    Instant due = START.plus(Duration.ofDays(2));
    long task = gov.addTask(NANJING, c, "visit the server room", "officer-li", due);
    clock.advance(Duration.ofHours(5));
    gov.completeTask(NANJING, c, task);

    assertThat(detail(c).tasks())
        .extracting(
            CaseViews.Task::title,
            CaseViews.Task::owner,
            CaseViews.Task::deadline,
            CaseViews.Task::createdBy,
            CaseViews.Task::doneAt,
            CaseViews.Task::doneBy)
        .containsExactly(
            tuple(
                "visit the server room",
                "officer-li",
                due,
                "nanjing",
                START.plus(Duration.ofHours(5)),
                "nanjing"));
    assertThat(problem(() -> gov.completeTask(NANJING, c, task)).kind())
        .isEqualTo(Problem.Kind.NOT_FOUND);
    assertThat(problem(() -> gov.addTask(NANJING, c, " ", "officer-li", null)).field())
        .isEqualTo("title");
    assertThat(problem(() -> gov.addTask(AUDITOR, c, "look", "auditor", null)).kind())
        .isEqualTo(Problem.Kind.FORBIDDEN);
    assertThat(problem(() -> gov.addTask(SUZHOU, c, "look", "suzhou", null)).kind())
        .isEqualTo(Problem.Kind.FORBIDDEN);
  }

  @Test
  void theUnitReportsOnItsOwnCaseOnly() {
    long c = university();
    gov.unitReport(UNIT, c, "self-inspection", "we found XMRig on two lab servers and removed it");

    assertThat(detail(c).history())
        .last()
        .extracting(CaseViews.Event::actor, CaseViews.Event::kind, CaseViews.Event::note)
        .containsExactly(
            "university", "self-inspection", "we found XMRig on two lab servers and removed it");
    assertThat(problem(() -> gov.unitReport(UNIT, c, "excuse", "none")).field()).isEqualTo("kind");
    long government = caseOf("10.20.7.33");
    assertThat(problem(() -> gov.unitReport(UNIT, government, "rectification", "done")).kind())
        .isEqualTo(Problem.Kind.FORBIDDEN);
    assertThat(problem(() -> gov.unitReport(NANJING, c, "rectification", "done")).kind())
        .isEqualTo(Problem.Kind.FORBIDDEN);
  }

  /**
   * Puts a case in {@code state} directly, as if it entered it at {@code since}, with no mining
   * after.
   */
  private void put(long caseId, CaseState state, Instant since) {
    database
        .jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        "update cases set state = :s, state_since = :since, "
                            + "last_mining_at = null where id = :c")
                    .bind("s", state.label())
                    .bind("since", Times.bind(since))
                    .bind("c", caseId)
                    .execute());
  }
}
