package org.minewatch.governance.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.minewatch.governance.Findings;
import org.minewatch.governance.Governance;
import org.minewatch.governance.GovernanceTestBase;
import org.minewatch.governance.Problem;
import org.minewatch.governance.Settings;
import org.minewatch.governance.audit.AuditLog;
import org.minewatch.governance.cases.CaseQuery;
import org.minewatch.governance.cases.CaseViews;
import org.minewatch.governance.order.TariffPolicies;

/** Users stored with Argon2 hashes, sessions and API tokens, throttled logins. */
class UsersTest extends GovernanceTestBase {
  static final char[] PASSWORD = "correct horse battery".toCharArray();

  private User signedIn(String token) {
    return gov.authenticate(token).orElseThrow(() -> new AssertionError("token not accepted"));
  }

  @Test
  void aPasswordHasAtLeastTenCharacters() {
    Problem p =
        problem(
            () ->
                gov.addUser(
                    User.SYSTEM, "li", Role.AUDITOR, null, null, "123456789".toCharArray()));
    assertThat(p.kind()).isEqualTo(Problem.Kind.INVALID);
    assertThat(p.field()).isEqualTo("password");
    assertThat(
            problem(() -> gov.addUser(User.SYSTEM, "li", Role.AUDITOR, null, null, null)).field())
        .isEqualTo("password");
    assertThat(count("users")).isZero();

    assertThat(gov.addUser(User.SYSTEM, "li", Role.AUDITOR, null, null, "1234567890".toCharArray()))
        .isNull();
    assertThat(rows("select name, role, password_hash from users"))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.get("role")).isEqualTo("auditor");
              assertThat((String) m.get("password_hash"))
                  .startsWith("$argon2id$")
                  .doesNotContain("1234567890");
            });
    assertThat(
            problem(() -> gov.addUser(User.SYSTEM, "li", Role.AUDITOR, null, null, PASSWORD))
                .kind())
        .isEqualTo(Problem.Kind.CONFLICT);
    assertThat(
            problem(() -> gov.addUser(User.SYSTEM, "li wei", Role.AUDITOR, null, null, PASSWORD))
                .field())
        .isEqualTo("name");
  }

  @Test
  void aSensorGetsAnApiTokenThatIngests() {
    String token = gov.addUser(ADMIN, "sensor-campus", Role.SENSOR, null, null, null);

    assertThat(token).matches("[A-Za-z0-9_-]{43}");
    User sensor = signedIn(token);
    assertThat(sensor)
        .extracting(User::name, User::role, User::regionCode, User::unitCode, User::disabled)
        .containsExactly("sensor-campus", Role.SENSOR, null, null, false);
    assertThat(gov.ingest(sensor, Findings.body(Findings.UNIVERSITY)).created()).isEqualTo(1);
    // An API token does not expire; only its hash is stored.
    clock.advance(Duration.ofDays(400));
    assertThat(gov.authenticate(token)).isPresent();
    assertThat(rows("select token_hash, kind, expires_at from tokens"))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.get("kind")).isEqualTo("api");
              assertThat(m.get("expires_at")).isNull();
              assertThat(m.get("token_hash")).isNotEqualTo(token);
            });
    assertThat(problem(() -> gov.listCases(sensor, CaseQuery.all())).kind())
        .isEqualTo(Problem.Kind.FORBIDDEN);
    assertThat(gov.authenticate("not-a-token")).isEmpty();
    assertThat(gov.authenticate("")).isEmpty();
    assertThat(gov.authenticate(null)).isEmpty();
  }

  @Test
  void loginGivesASessionThatExpires() {
    gov.addUser(User.SYSTEM, "nanjing", Role.REGIONAL_OFFICER, "320100", null, PASSWORD);

    String token = gov.login("nanjing", PASSWORD, "127.0.0.1");

    assertThat(signedIn(token))
        .extracting(User::name, User::role, User::regionCode)
        .containsExactly("nanjing", Role.REGIONAL_OFFICER, "320100");
    assertThat(lastAudit())
        .extracting(AuditLog.Entry::actor, AuditLog.Entry::action, AuditLog.Entry::detail)
        .containsExactly("nanjing", "login", "from 127.0.0.1");
    clock.advance(Users.SESSION.minusSeconds(1));
    assertThat(gov.authenticate(token)).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(gov.authenticate(token)).isEmpty();

    String second = gov.login("nanjing", PASSWORD, "127.0.0.1");
    gov.logout(signedIn(second), second);
    assertThat(gov.authenticate(second)).isEmpty();
  }

  @Test
  void fiveWrongPasswordsLockTheNameOutForFifteenMinutes() {
    gov.addUser(User.SYSTEM, "admin", Role.PROVINCE_ADMIN, null, null, PASSWORD);
    for (int i = 0; i < 5; i++) {
      Problem p = problem(() -> gov.login("admin", "wrong password".toCharArray(), "198.51.100.7"));
      assertThat(p.kind()).isEqualTo(Problem.Kind.UNAUTHENTICATED);
      clock.advance(Duration.ofMinutes(1));
    }

    Problem locked = problem(() -> gov.login("admin", PASSWORD, "198.51.100.7"));
    assertThat(locked.kind()).isEqualTo(Problem.Kind.TOO_MANY);
    assertThat(rows("select action from audit where action like 'login%' order by seq"))
        .extracting(m -> m.get("action"))
        .containsExactly(
            "login.failed",
            "login.failed",
            "login.failed",
            "login.failed",
            "login.failed",
            "login.failed");
    // Another name is not locked.
    gov.addUser(User.SYSTEM, "auditor", Role.AUDITOR, null, null, PASSWORD);
    assertThat(gov.login("auditor", PASSWORD, "198.51.100.7")).isNotBlank();

    // Fifteen minutes after the first failure it has expired; the others still count, so one more
    // fails.
    clock.advance(Duration.ofMinutes(10).plusSeconds(1));
    assertThat(problem(() -> gov.login("admin", "wrong again".toCharArray(), "x")).kind())
        .isEqualTo(Problem.Kind.UNAUTHENTICATED);
    assertThat(problem(() -> gov.login("admin", PASSWORD, "x")).kind())
        .isEqualTo(Problem.Kind.TOO_MANY);
    clock.advance(Duration.ofMinutes(15));
    assertThat(signedIn(gov.login("admin", PASSWORD, "x")).name()).isEqualTo("admin");
  }

  @Test
  void twentyFailuresFromOneAddressLockThatAddressWhateverTheName() {
    gov.addUser(User.SYSTEM, "admin", Role.PROVINCE_ADMIN, null, null, PASSWORD);
    // Password spraying: one try for each of twenty names, none of them locked by itself.
    for (int i = 0; i < 20; i++) {
      String name = "guess-" + i;
      assertThat(problem(() -> gov.login(name, PASSWORD, "198.51.100.7")).kind())
          .isEqualTo(Problem.Kind.UNAUTHENTICATED);
      clock.advance(Duration.ofSeconds(30));
    }
    Problem locked = problem(() -> gov.login("admin", PASSWORD, "198.51.100.7"));
    assertThat(locked.kind()).isEqualTo(Problem.Kind.TOO_MANY);
    assertThat(locked.getMessage())
        .isEqualTo("too many failed logins from 198.51.100.7; try again in 15 minutes");
    // The name itself is not locked: from another address it signs in.
    assertThat(signedIn(gov.login("admin", PASSWORD, "203.0.113.9")).name()).isEqualTo("admin");
    // Fifteen minutes after the first failure that one no longer counts: 19 in the window, one more
    // may be tried.
    clock.advance(Duration.ofMinutes(5).plusSeconds(1));
    assertThat(signedIn(gov.login("admin", PASSWORD, "198.51.100.7")).name()).isEqualTo("admin");
  }

  @Test
  void failuresOutliveARestartAndStaleOnesAreDeleted() {
    gov.addUser(User.SYSTEM, "admin", Role.PROVINCE_ADMIN, null, null, PASSWORD);
    for (int i = 0; i < 5; i++) {
      problem(() -> gov.login("admin", "wrong password".toCharArray(), "198.51.100.7"));
    }
    assertThat(count("login_failures")).isEqualTo(10); // the name and the address, each time
    // A restarted server (or a second one on the same database) still knows the lock-out.
    Governance restarted =
        new Governance(database, clock, Settings.defaults(), TariffPolicies.builtIn());
    assertThat(problem(() -> restarted.login("admin", PASSWORD, "203.0.113.9")).kind())
        .isEqualTo(Problem.Kind.TOO_MANY);
    assertThat(count("login_failures")).isEqualTo(10); // a refusal is not one more try
    // Past the window the failures lock nothing and the next failure deletes them.
    clock.advance(Users.THROTTLE.plusSeconds(1));
    problem(() -> restarted.login("nobody", PASSWORD, "203.0.113.9"));
    assertThat(rows("select kind, key_value from login_failures order by kind"))
        .extracting(m -> m.get("kind"), m -> m.get("key_value"))
        .containsExactly(tuple("address", "203.0.113.9"), tuple("name", "nobody"));
    // A login clears its name's failures; the address's stay.
    assertThat(restarted.login("admin", PASSWORD, "203.0.113.9")).isNotBlank();
    problem(() -> restarted.login("admin", "wrong".toCharArray(), "203.0.113.9"));
    restarted.login("admin", PASSWORD, "203.0.113.9");
    assertThat(rows("select kind from login_failures where key_value = 'admin'")).isEmpty();
    assertThat(count("login_failures")).isEqualTo(3);
  }

  @Test
  void anUnknownNameFailsLikeAWrongPassword() {
    Problem p = problem(() -> gov.login("nobody", PASSWORD, "x"));
    assertThat(p.kind()).isEqualTo(Problem.Kind.UNAUTHENTICATED);
    assertThat(p.getMessage()).isEqualTo("wrong user name or password");
    gov.addUser(User.SYSTEM, "grid", Role.GRID_COMPANY, null, null, PASSWORD);
    assertThat(
            problem(() -> gov.login("grid", "correct horse battery!".toCharArray(), "x"))
                .getMessage())
        .isEqualTo("wrong user name or password");
    // A name longer than any user's is a wrong name, and its failure is audited like any other.
    String longName = "x".repeat(250);
    assertThat(problem(() -> gov.login(longName, PASSWORD, "x")).kind())
        .isEqualTo(Problem.Kind.UNAUTHENTICATED);
    assertThat(lastAudit())
        .extracting(AuditLog.Entry::actor, AuditLog.Entry::action, AuditLog.Entry::subject)
        .containsExactly("x".repeat(100), "login.failed", "user " + longName);
    assertThat(gov.verifyAudit(ADMIN).intact()).isTrue();
    // A login without a password (a JSON body without the field) is a wrong password, not a crash.
    assertThat(problem(() -> gov.login("grid", null, "x")).kind())
        .isEqualTo(Problem.Kind.UNAUTHENTICATED);
  }

  /**
   * An unknown name must cost the Argon2 work a known one does, or the time of the answer tells
   * which names exist. Measured in the thread's CPU time (not wall-clock time: the work, not the
   * machine's load): an unknown name at least half of a wrong password's, where returning early
   * costs a hundredth of it.
   */
  @Test
  void anUnknownNameCostsTheArgon2WorkOfAKnownOne() {
    gov.addUser(User.SYSTEM, "grid", Role.GRID_COMPANY, null, null, PASSWORD);
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    assumeTrue(cpu.isCurrentThreadCpuTimeSupported(), "no per-thread CPU time on this JVM");
    problem(() -> gov.login("nobody", PASSWORD, "warm-up")); // the decoy is made once
    long[] known = new long[3];
    long[] unknown = new long[3];
    for (int i = 0; i < 3; i++) {
      long start = cpu.getCurrentThreadCpuTime();
      problem(() -> gov.login("grid", "a wrong password".toCharArray(), "a"));
      known[i] = cpu.getCurrentThreadCpuTime() - start;
      start = cpu.getCurrentThreadCpuTime();
      problem(() -> gov.login("nobody", "a wrong password".toCharArray(), "b"));
      unknown[i] = cpu.getCurrentThreadCpuTime() - start;
    }
    Arrays.sort(known);
    Arrays.sort(unknown);
    assertThat(unknown[1]).isGreaterThan(known[1] / 2);
  }

  @Test
  void aDisabledUsersTokensStopWorking() {
    gov.addUser(User.SYSTEM, "regulator", Role.ENERGY_REGULATOR, null, null, PASSWORD);
    String session = gov.login("regulator", PASSWORD, "x");
    String sensorToken = gov.addUser(User.SYSTEM, "sensor-1", Role.SENSOR, null, null, null);

    gov.disableUser(ADMIN, "regulator");
    gov.disableUser(ADMIN, "sensor-1");
    assertThat(lastAudit())
        .extracting(AuditLog.Entry::actor, AuditLog.Entry::action, AuditLog.Entry::subject)
        .containsExactly("admin", "user.disable", "user sensor-1");

    assertThat(gov.authenticate(session)).isEmpty();
    assertThat(gov.authenticate(sensorToken)).isEmpty();
    assertThat(problem(() -> gov.login("regulator", PASSWORD, "x")).kind())
        .isEqualTo(Problem.Kind.UNAUTHENTICATED);
    assertThat(gov.listUsers(ADMIN))
        .extracting(Users.Listed::name, Users.Listed::role, Users.Listed::disabled)
        .containsExactly(
            tuple("regulator", "energy-regulator", true), tuple("sensor-1", "sensor", true));
    assertThat(problem(() -> gov.disableUser(ADMIN, "nobody")).kind())
        .isEqualTo(Problem.Kind.NOT_FOUND);
  }

  @Test
  void aRegionalOfficerNeedsAValidRegionAndOnlyItHasOne() {
    for (String bad : new String[] {null, "32010", "3201000", "32O100", "020100"}) {
      Problem p =
          problem(
              () ->
                  gov.addUser(User.SYSTEM, "officer", Role.REGIONAL_OFFICER, bad, null, PASSWORD));
      assertThat(p.field()).as(String.valueOf(bad)).isEqualTo("region");
    }
    assertThat(
            problem(
                    () ->
                        gov.addUser(
                            User.SYSTEM, "admin", Role.PROVINCE_ADMIN, "320000", null, PASSWORD))
                .field())
        .isEqualTo("region");
    gov.addUser(User.SYSTEM, "officer", Role.REGIONAL_OFFICER, "320100", null, PASSWORD);
    assertThat(lastAudit())
        .extracting(AuditLog.Entry::actor, AuditLog.Entry::action, AuditLog.Entry::detail)
        .containsExactly("system", "user.add", "role regional-officer, region 320100");
  }

  @Test
  void aUnitContactNeedsAValidCreditCodeAndSeesOnlyItsUnitsCases() {
    sampleCases();
    String wrongCheck = Findings.UNIVERSITY_CODE.substring(0, 17) + "X";
    assertThat(
            problem(
                    () ->
                        gov.addUser(
                            User.SYSTEM, "contact", Role.UNIT_CONTACT, null, wrongCheck, PASSWORD))
                .field())
        .isEqualTo("unit");
    assertThat(
            problem(
                    () ->
                        gov.addUser(
                            User.SYSTEM, "contact", Role.UNIT_CONTACT, null, null, PASSWORD))
                .field())
        .isEqualTo("unit");
    assertThat(
            problem(
                    () ->
                        gov.addUser(
                            User.SYSTEM,
                            "contact",
                            Role.AUDITOR,
                            null,
                            Findings.UNIVERSITY_CODE,
                            PASSWORD))
                .field())
        .isEqualTo("unit");

    gov.addUser(
        User.SYSTEM, "contact", Role.UNIT_CONTACT, null, Findings.UNIVERSITY_CODE, PASSWORD);
    User contact = signedIn(gov.login("contact", PASSWORD, "x"));

    assertThat(contact.unitCode()).isEqualTo(Findings.UNIVERSITY_CODE);
    assertThat(gov.listCases(contact, CaseQuery.all()).cases())
        .extracting(CaseViews.Summary::unitName)
        .containsExactly(Findings.UNIVERSITY_NAME);
  }

  @Test
  void onlyTheAdministratorManagesUsers() {
    for (Role role : Role.values()) {
      if (role == Role.PROVINCE_ADMIN) {
        continue;
      }
      long audit = count("audit");
      assertThat(
              problem(
                      () ->
                          gov.addUser(
                              user(role), "x" + role.ordinal(), Role.AUDITOR, null, null, PASSWORD))
                  .kind())
          .as(role.label())
          .isEqualTo(Problem.Kind.FORBIDDEN);
      assertThat(problem(() -> gov.listUsers(user(role))).kind()).isEqualTo(Problem.Kind.FORBIDDEN);
      assertThat(count("audit")).isEqualTo(audit + 2);
    }
    assertThat(count("users")).isZero();
    assertThat(gov.listUsers(ADMIN)).isEqualTo(List.of());
  }
}
