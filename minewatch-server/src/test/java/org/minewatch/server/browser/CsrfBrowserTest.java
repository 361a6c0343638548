package org.minewatch.server.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.minewatch.server.browser.ConsoleServer.ADMIN;
import static org.minewatch.server.browser.ConsoleServer.NANJING;
import static org.minewatch.server.browser.ConsoleServer.PASSWORD;
import static org.minewatch.server.browser.ConsoleServer.UNIVERSITY;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A form posted without its CSRF token (the hidden {@code _csrf} input removed from the page, as a
 * forged cross-site form would lack it), or with a wrong one, is refused with the 403 page and
 * changes nothing.
 */
class CsrfBrowserTest extends BrowserTestBase {
  private static final String CSRF_MESSAGE = "表单已过期或来源不可信，请刷新页面后重新提交。";

  @Test
  void aTransitionWithoutItsTokenIsRefusedAndChangesNothing() {
    browser.signIn(NANJING, PASSWORD);
    String casePath = openUniversityCase();
    WebElement form = dispatchForm();
    browser.script("arguments[0].querySelector('input[name=_csrf]').remove()", form);
    assertThat(form.findElements(By.name("_csrf"))).isEmpty();
    Browser.type(form.findElement(By.name("note")), "forged");
    browser.submit(form);
    browser.assertErrorPage(403);
    assertThat(browser.driver.findElement(By.cssSelector("main .error")).getText())
        .isEqualTo(CSRF_MESSAGE);

    browser.go(casePath);
    assertThat(browser.driver.findElement(By.id("case-state")).getText()).isEqualTo("监测发现");
    assertThat(browser.driver.findElement(By.id("timeline")).getText())
        .doesNotContain("→", "forged");
  }

  @Test
  void aTransitionWithAWrongTokenIsRefused() {
    browser.signIn(NANJING, PASSWORD);
    String casePath = openUniversityCase();
    WebElement form = dispatchForm();
    browser.script(
        "var i = arguments[0].querySelector('input[name=_csrf]'); i.value = i.value.split('').reverse().join('')",
        form);
    browser.submit(form);
    browser.assertErrorPage(403);
    browser.go(casePath);
    assertThat(browser.driver.findElement(By.id("case-state")).getText()).isEqualTo("监测发现");
  }

  @Test
  void signingInWithoutTheTokenIsRefused() {
    browser.go("/login");
    browser.script("document.querySelector('form[action=\"/login\"] input[name=_csrf]').remove()");
    browser.fillLogin(ADMIN, PASSWORD);
    browser.assertErrorPage(403);
    assertThat(browser.driver.findElement(By.cssSelector("main .error")).getText())
        .isEqualTo(CSRF_MESSAGE);
    browser.go("/cases");
    assertThat(browser.path()).as("not signed in").startsWith("/login");
  }

  @Test
  void signingOutWithoutTheTokenIsRefused() {
    browser.signIn(ADMIN, PASSWORD);
    browser.script(
        "document.querySelector('header form[action=\"/logout\"] input[name=_csrf]').remove()");
    browser.submit(browser.driver.findElement(By.cssSelector("header form[action='/logout']")));
    browser.assertErrorPage(403);
    browser.go("/cases");
    assertThat(browser.path()).as("still signed in").isEqualTo("/cases");
  }

  @Test
  void aTipOffWithoutTheTokenIsRefused() {
    browser.go("/tipoff");
    WebElement form = browser.driver.findElement(By.cssSelector("form[action='/tipoff']"));
    browser.script("arguments[0].querySelector('input[name=_csrf]').remove()", form);
    form.findElement(By.id("category-hidden-mining")).click();
    Browser.type(form.findElement(By.id("address")), "示例路 1 号");
    Browser.type(form.findElement(By.id("description")), "forged");
    browser.submit(form);
    browser.assertErrorPage(403);
    assertThat(browser.text()).doesNotContainPattern("TO-[0-9A-Z]{20}");
  }

  private static String openUniversityCase() {
    browser.go("/cases");
    browser.clickAndWait(
        browser.driver.findElement(
            By.xpath(
                "//table[contains(@class,'cases')]//tr[td[2][contains(., "
                    + Browser.xpathLiteral(UNIVERSITY)
                    + ")]]/td[1]/a")));
    return browser.path();
  }

  /** The form moving the case to 已推送, opened. */
  private static WebElement dispatchForm() {
    WebElement form = browser.driver.findElement(By.cssSelector("form[data-move='dispatched']"));
    WebElement details = form.findElement(By.xpath("./ancestor::details[1]"));
    if (details.getDomProperty("open").equals("false")) {
      details.findElement(By.tagName("summary")).click();
    }
    return form;
  }
}
