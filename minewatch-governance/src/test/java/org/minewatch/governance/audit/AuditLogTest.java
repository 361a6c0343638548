package org.minewatch.governance.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.minewatch.governance.Findings;
import org.minewatch.governance.GovernanceTestBase;
import org.minewatch.governance.Problem;
import org.minewatch.governance.cases.CaseQuery;
import org.minewatch.governance.cases.CaseState;
import org.minewatch.governance.tipoff.TipOffs;
import org.minewatch.governance.user.Role;
import org.minewatch.governance.user.User;

/** The audit chain: every change appended, chained by SHA-256, and any edit found. */
class AuditLogTest extends GovernanceTestBase {

  /** Registry, users, login, ingest, transitions, a refusal, a tip-off, an export. */
  private void mixedRun() {
    importDemoRegistry();
    gov.addUser(
        User.SYSTEM,
        "nanjing",
        Role.REGIONAL_OFFICER,
        "320100",
        null,
        "correct horse battery".toCharArray());
    gov.login("nanjing", "correct horse battery".toCharArray(), "127.0.0.1");
    ingest(Findings.UNIVERSITY, Findings.GOVERNMENT, Findings.RESIDENTIAL);
    long c = caseOf("10.20.1.15");
    clock.advance(Duration.ofHours(1));
    move(NANJING, c, CaseState.DISPATCHED);
    problem(() -> move(SUZHOU, c, CaseState.OWNERSHIP_VERIFIED));
    gov.fileTipOff(
        new TipOffs.Submission("other", "somewhere", null, "noise at night", null, List.of()),
        "192.0.2.1");
    gov.exportCases(ADMIN, CaseQuery.all(), "all-cases");
  }

  @Test
  void theChainOfAMixedRunVerifies() {
    mixedRun();

    List<AuditLog.Entry> entries = audit();
    assertThat(entries)
        .extracting(AuditLog.Entry::action)
        .containsExactly(
            "registry.import",
            "user.add",
            "login",
            "case.open",
            "case.open",
            "case.open",
            "ingest",
            "case.transition",
            "denied",
            "tipoff.file",
            "export");
    assertThat(entries)
        .extracting(AuditLog.Entry::seq)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
    assertThat(entries.get(0).prevHash()).isEqualTo(AuditLog.GENESIS);
    for (int i = 1; i < entries.size(); i++) {
      assertThat(entries.get(i).prevHash()).isEqualTo(entries.get(i - 1).hash());
    }
    assertThat(entries.get(7).at()).isEqualTo("2026-03-02T03:00:00Z");
    assertThat(gov.verifyAudit(AUDITOR)).isEqualTo(new AuditLog.Verification(true, 11, null, null));
    assertThat(gov.auditEntries(ADMIN, 2))
        .extracting(AuditLog.Entry::seq)
        .containsExactly(11L, 10L);
  }

  @Test
  void anEditedEntryIsNamed() {
    mixedRun();
    execute("update audit set detail = 'x' where seq = 3");

    AuditLog.Verification v = gov.verifyAudit(ADMIN);

    assertThat(v.intact()).isFalse();
    assertThat(v.firstBroken()).isEqualTo(3L);
    assertThat(v.entries()).isEqualTo(2);
    assertThat(v.reason())
        .isEqualTo(
            "entry 3 was changed after it was written: its content no longer gives its hash");
  }

  @Test
  void anEntryRehashedAfterItsEditBreaksTheNext() {
    mixedRun();
    List<AuditLog.Entry> e = audit();
    AuditLog.Entry third = e.get(2);
    String forged =
        AuditLog.hash(
            third.prevHash(), 3, third.at(), third.actor(), third.action(), third.subject(), "x");
    execute("update audit set detail = 'x', hash = ? where seq = 3", forged);

    AuditLog.Verification v = gov.verifyAudit(ADMIN);

    assertThat(v.firstBroken()).isEqualTo(4L);
    assertThat(v.reason()).isEqualTo("entry 4 does not follow entry 3: its previous hash differs");
  }

  @Test
  void aDeletedEntryIsNamed() {
    mixedRun();
    execute("delete from audit where seq = 5");

    AuditLog.Verification v = gov.verifyAudit(AUDITOR);

    assertThat(v)
        .isEqualTo(new AuditLog.Verification(false, 4, 5L, "entry 5 is missing (next is 6)"));
  }

  @Test
  void aMissingFirstEntryIsNamed() {
    mixedRun();
    execute("delete from audit where seq = 1");

    assertThat(gov.verifyAudit(AUDITOR))
        .isEqualTo(new AuditLog.Verification(false, 0, 1L, "entry 1 is missing (next is 2)"));
  }

  @Test
  void anEntryIsKeptToItsColumnsAndStillVerifies() {
    sampleCases();
    String title = "全量名单 ".repeat(100);

    gov.exportCases(ADMIN, CaseQuery.all(), title);

    assertThat(lastAudit())
        .extracting(AuditLog.Entry::action, AuditLog.Entry::subject)
        .containsExactly("export", title.substring(0, 300));
    assertThat(gov.verifyAudit(AUDITOR).intact()).isTrue();
  }

  @Test
  void anEmptyLogIsIntact() {
    assertThat(gov.verifyAudit(AUDITOR)).isEqualTo(new AuditLog.Verification(true, 0, null, null));
  }

  @Test
  void aChainLongerThanAPageVerifies() {
    database
        .jdbi()
        .useTransaction(
            h -> {
              for (int i = 0; i < 2_500; i++) {
                AuditLog.append(h, START.plusSeconds(i), "system", "test", "entry " + i, "");
              }
            });
    assertThat(gov.verifyAudit(AUDITOR))
        .isEqualTo(new AuditLog.Verification(true, 2_500, null, null));
    execute("update audit set actor = 'mallory' where seq = 2001");
    assertThat(gov.verifyAudit(AUDITOR).firstBroken()).isEqualTo(2001L);
  }

  @Test
  void onlyTheAdministratorAndTheAuditorReadTheLog() {
    for (Role role :
        List.of(
            Role.REGIONAL_OFFICER,
            Role.ENERGY_REGULATOR,
            Role.GRID_COMPANY,
            Role.UNIT_CONTACT,
            Role.SENSOR)) {
      assertThat(problem(() -> gov.verifyAudit(user(role))).kind())
          .isEqualTo(Problem.Kind.FORBIDDEN);
      assertThat(problem(() -> gov.auditEntries(user(role), 10)).kind())
          .isEqualTo(Problem.Kind.FORBIDDEN);
    }
    // Each refusal is an entry of its own, and the chain holds.
    assertThat(count("audit")).isEqualTo(10);
    assertThat(audit()).extracting(AuditLog.Entry::action).containsOnly("denied");
    assertThat(gov.verifyAudit(AUDITOR).intact()).isTrue();
  }
}
