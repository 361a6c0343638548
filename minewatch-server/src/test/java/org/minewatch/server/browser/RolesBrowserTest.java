package org.minewatch.server.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.minewatch.server.browser.ConsoleServer.ADMIN;
import static org.minewatch.server.browser.ConsoleServer.AUDITOR;
import static org.minewatch.server.browser.ConsoleServer.GOVERNMENT;
import static org.minewatch.server.browser.ConsoleServer.GRID;
import static org.minewatch.server.browser.ConsoleServer.NANJING;
import static org.minewatch.server.browser.ConsoleServer.PASSWORD;
import static org.minewatch.server.browser.ConsoleServer.REGULATOR;
import static org.minewatch.server.browser.ConsoleServer.RESIDENTIAL;
import static org.minewatch.server.browser.ConsoleServer.UNIT;
import static org.minewatch.server.browser.ConsoleServer.UNIVERSITY;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;

/**
 * Each role signs in through the login page and sees only what it may: the menu, the case list, the
 * parts of a case page it may use; another region's or unit's case is the 403 page; a sensor's
 * token opens no page.
 */
class RolesBrowserTest extends BrowserTestBase {
  private static final List<String> ALL = List.of(UNIVERSITY, GOVERNMENT, RESIDENTIAL);

  /**
   * What a role sees: its label in the header, its menu, its cases, and what it may do on the
   * university's case.
   */
  record Sight(
      String user,
      String label,
      boolean dashboard,
      boolean priority,
      boolean tipoffs,
      boolean export,
      List<String> cases,
      boolean moves,
      boolean tasks,
      boolean unitReport) {
    @Override
    public String toString() {
      return user;
    }
  }

  static Stream<Sight> roles() {
    return Stream.of(
        new Sight(ADMIN, "省级管理员", true, true, true, true, ALL, true, true, false),
        new Sight(
            NANJING, "地区工作人员", true, true, true, true, List.of(UNIVERSITY), true, true, false),
        new Sight(REGULATOR, "能源监管部门", true, true, false, true, ALL, false, false, false),
        new Sight(GRID, "电网企业", true, true, false, false, ALL, false, false, false),
        new Sight(
            UNIT, "单位联系人", false, false, false, false, List.of(UNIVERSITY), false, false, true),
        new Sight(AUDITOR, "审计", true, true, true, true, ALL, false, false, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("roles")
  void eachRoleSeesOnlyWhatItMay(Sight s) {
    browser.signIn(s.user(), PASSWORD);
    // Home is the dashboard for the roles that read statistics, the case list for the unit's
    // contact.
    assertThat(browser.path()).as("home").isEqualTo(s.dashboard() ? "/dashboard" : "/cases");
    assertThat(browser.driver.findElement(By.cssSelector("header .who")).getText())
        .contains(s.user(), s.label());

    List<String> nav = browser.navLinks();
    assertThat(nav).as("menu").contains("/cases").doesNotContain("/login", "/tipoff");
    assertThat(nav.contains("/dashboard")).as("dashboard in the menu").isEqualTo(s.dashboard());
    assertThat(nav.contains("/cases?priority=list"))
        .as("priority list in the menu")
        .isEqualTo(s.priority());
    assertThat(nav.contains("/tipoffs")).as("tip-offs in the menu").isEqualTo(s.tipoffs());

    browser.clickNav("案件");
    assertThat(browser.path()).isEqualTo("/cases");
    assertThat(browser.h1()).startsWith("案件列表");
    assertThat(browser.caseUnits())
        .as("cases listed")
        .containsExactlyInAnyOrderElementsOf(s.cases());
    assertThat(browser.driver.findElement(By.id("case-total")).getText())
        .isEqualTo("共 " + s.cases().size() + " 件");
    assertThat(browser.has(By.cssSelector("a[href^='/cases/export']")))
        .as("export links")
        .isEqualTo(s.export());

    browser.clickAndWait(
        browser.driver.findElement(
            By.xpath(
                "//table[contains(@class,'cases')]//tr[td[2][contains(., "
                    + Browser.xpathLiteral(UNIVERSITY)
                    + ")]]/td[1]/a")));
    assertThat(browser.path()).matches("/cases/\\d+");
    assertThat(browser.driver.findElement(By.id("unit-name")).getText()).isEqualTo(UNIVERSITY);
    assertThat(browser.driver.findElement(By.id("case-state")).getText()).isEqualTo("监测发现");
    assertThat(browser.has(By.cssSelector("form[data-move]")))
        .as("transition forms")
        .isEqualTo(s.moves());
    assertThat(browser.has(By.cssSelector("form[action$='/tasks']")))
        .as("task form")
        .isEqualTo(s.tasks());
    assertThat(browser.has(By.cssSelector("form[action$='/reports']")))
        .as("self-inspection form")
        .isEqualTo(s.unitReport());
    assertThat(browser.has(By.id("what-to-do")))
        .as("what the unit must do")
        .isEqualTo(s.unitReport());
    assertThat(browser.has(By.id("issue-order"))).as("order forms (only in 处置)").isFalse();
    if (s.moves()) {
      assertThat(
              browser.driver.findElements(By.cssSelector("form[data-move]")).stream()
                  .map(f -> f.getDomAttribute("data-move"))
                  .toList())
          .containsExactlyInAnyOrder("dispatched", "rejected");
    }
    if (s.dashboard()) {
      browser.clickNav("总览");
      assertThat(browser.path()).isEqualTo("/dashboard");
      for (String other : ALL.stream().filter(u -> !s.cases().contains(u)).toList()) {
        assertThat(browser.text())
            .as("the dashboard names no unit outside the role's cases")
            .doesNotContain(other);
      }
    } else {
      browser.go("/dashboard");
      browser.assertErrorPage(403);
    }
    browser.signOut();
  }

  @Test
  void anotherRegionsOrUnitsCaseIsTheForbiddenPage() {
    browser.signIn(ADMIN, PASSWORD);
    browser.go("/cases");
    String wuxi = browser.caseLink(GOVERNMENT);
    String university = browser.caseLink(UNIVERSITY);
    browser.signOut();

    browser.signIn(NANJING, PASSWORD);
    browser.go(wuxi);
    browser.assertErrorPage(403);
    assertThat(browser.text()).doesNotContain(GOVERNMENT);
    browser.go(university);
    assertThat(browser.driver.findElement(By.id("unit-name")).getText()).isEqualTo(UNIVERSITY);
    browser.signOut();

    browser.signIn(UNIT, PASSWORD);
    browser.go(wuxi);
    browser.assertErrorPage(403);
    assertThat(browser.text()).doesNotContain(GOVERNMENT);
    browser.signOut();
  }

  /** The filter form as a person sends it: the fields left at "any" come as empty parameters. */
  @Test
  void theFilterFormNarrowsTheListWithinTheOfficersRegion() {
    browser.signIn(ADMIN, PASSWORD);
    browser.go("/cases");
    Browser.type(browser.driver.findElement(By.name("region")), "320200");
    browser.submit(browser.driver.findElement(By.cssSelector("form.filters")));
    assertThat(browser.path()).contains("region=320200");
    assertThat(browser.caseUnits()).containsExactly(GOVERNMENT);
    browser.signOut();

    // The Nanjing officer asking for Wuxi's region finds nothing: the filter narrows, it never
    // widens.
    browser.signIn(NANJING, PASSWORD);
    browser.go("/cases");
    Browser.type(browser.driver.findElement(By.name("region")), "320200");
    browser.submit(browser.driver.findElement(By.cssSelector("form.filters")));
    assertThat(browser.driver.findElement(By.cssSelector("p.empty")).getText())
        .isEqualTo("没有符合条件的案件。");
  }

  @Test
  void theGridCompanyMayNotExport() {
    browser.signIn(GRID, PASSWORD);
    browser.go("/cases/export?format=csv");
    browser.assertErrorPage(403);
  }

  @Test
  void aSensorTokenOpensNoPage() {
    // Not as a password on the login page...
    browser.go("/login");
    browser.fillLogin(ConsoleServer.SENSOR, console.sensorToken);
    assertThat(browser.path()).startsWith("/login");
    assertThat(browser.driver.findElement(By.id("login-error")).getText()).isEqualTo("用户名或密码错误。");
    // ...nor as the session cookie: the sensor may only send findings.
    browser.setCookie("mw_session", console.sensorToken);
    browser.go("/cases");
    browser.assertErrorPage(403);
    assertThat(browser.has(By.cssSelector("table.cases"))).isFalse();
  }

  @Test
  void aPageAskedForSignedOutLeadsToTheLoginAndBack() {
    browser.go("/cases?priority=list");
    assertThat(browser.path()).isEqualTo("/login?next=%2Fcases%3Fpriority%3Dlist");
    assertThat(browser.navLinks()).contains("/tipoff").doesNotContain("/cases");
    browser.fillLogin(AUDITOR, PASSWORD);
    assertThat(browser.path()).isEqualTo("/cases?priority=list");
    assertThat(browser.h1()).startsWith("重点名单");
  }

  @Test
  void aWrongPasswordIsRefusedOnTheLoginPage() {
    browser.go("/login");
    browser.fillLogin(ADMIN, "not the password");
    assertThat(browser.path()).startsWith("/login");
    assertThat(browser.driver.findElement(By.id("login-error")).getText()).isEqualTo("用户名或密码错误。");
    assertThat(browser.driver.findElement(By.id("user")).getDomProperty("value")).isEqualTo(ADMIN);
  }
}
