package org.minewatch.server.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.minewatch.server.browser.ConsoleServer.ADMIN;
import static org.minewatch.server.browser.ConsoleServer.PASSWORD;
import static org.minewatch.server.browser.ConsoleServer.UNIVERSITY;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/** Chinese by default; the switch on every page shows the same page in English, and back. */
class LanguageBrowserTest extends BrowserTestBase {

  @Test
  void switchToEnglishAndBack() {
    browser.go("/login");
    assertThat(lang()).isEqualTo("zh-CN");
    assertThat(browser.h1()).isEqualTo("登录");
    assertThat(browser.driver.findElement(By.cssSelector("label[for=user]")).getText())
        .isEqualTo("用户名");
    assertThat(switchLink()).isEqualTo("English");

    browser.clickAndWait(browser.driver.findElement(By.id("lang-switch")));
    assertThat(browser.path()).isEqualTo("/login");
    assertThat(lang()).isEqualTo("en");
    assertThat(browser.h1()).isEqualTo("Sign in");
    assertThat(browser.driver.findElement(By.cssSelector("label[for=user]")).getText())
        .isEqualTo("User name");
    assertThat(switchLink()).isEqualTo("中文");

    // Signed in, the language stays: the menu, the list, the states and the case page are in
    // English.
    browser.fillLogin(ADMIN, PASSWORD);
    browser.clickNav("Cases");
    assertThat(browser.h1()).isEqualTo("Cases 3 cases");
    assertThat(browser.driver.findElement(By.cssSelector("header nav")).getText())
        .contains("Cases", "Priority list", "Tip-offs");
    assertThat(
            browser.driver.findElements(By.cssSelector("table.cases .state")).stream()
                .map(e -> e.getText())
                .toList())
        .containsOnly("Detected");
    browser.clickNav("Priority list");
    assertThat(browser.path()).isEqualTo("/cases?priority=list");
    assertThat(browser.h1()).startsWith("Priority list");
    browser.clickAndWait(
        browser.driver.findElement(
            By.xpath(
                "//table[contains(@class,'cases')]//tr[td[2][contains(., "
                    + Browser.xpathLiteral(UNIVERSITY)
                    + ")]]/td[1]/a")));
    String casePath = browser.path();
    assertThat(browser.h1()).startsWith("Case MW-");
    assertThat(browser.driver.findElement(By.id("case-state")).getText()).isEqualTo("Detected");
    assertThat(browser.text()).contains("History", "Findings and evidence", "Move to: Dispatched");
    // Reasons are codes rendered in the reader's language, not sentences stored in one.
    assertThat(browser.driver.findElement(By.id("priority-reasons")).getText())
        .contains("state-owned or public body: university");

    // And back, on the same page.
    browser.clickAndWait(browser.driver.findElement(By.id("lang-switch")));
    assertThat(browser.path()).isEqualTo(casePath);
    assertThat(lang()).isEqualTo("zh-CN");
    assertThat(browser.h1()).startsWith("案件 MW-");
    assertThat(browser.driver.findElement(By.id("case-state")).getText()).isEqualTo("监测发现");
    assertThat(browser.text()).contains("办理记录", "转为：已推送").doesNotContain("History");
    assertThat(browser.driver.findElement(By.id("priority-reasons")).getText())
        .contains("国有或公共单位：高校及学校")
        .doesNotContain("state-owned");
    assertThat(switchLink()).isEqualTo("English");

    // The list's query is kept across the switch too.
    browser.clickNav("重点名单");
    browser.clickAndWait(browser.driver.findElement(By.id("lang-switch")));
    assertThat(browser.path()).isEqualTo("/cases?priority=list");
    assertThat(browser.h1()).startsWith("Priority list");
  }

  @Test
  void thePublicTipOffPageSwitchesToo() {
    browser.go("/tipoff");
    assertThat(browser.h1()).isEqualTo("举报虚拟货币“挖矿”");
    browser.clickAndWait(browser.driver.findElement(By.id("lang-switch")));
    assertThat(browser.path()).isEqualTo("/tipoff");
    assertThat(lang()).isEqualTo("en");
    assertThat(browser.h1()).isEqualTo("Report cryptocurrency mining");
    assertThat(
            browser
                .driver
                .findElement(By.cssSelector("form[action='/tipoff'] button[type=submit]"))
                .getText())
        .isEqualTo("Send the report");
    browser.clickAndWait(browser.driver.findElement(By.id("lang-switch")));
    assertThat(browser.h1()).isEqualTo("举报虚拟货币“挖矿”");
  }

  private static String lang() {
    return browser.driver.findElement(By.tagName("html")).getDomAttribute("lang");
  }

  private static String switchLink() {
    return browser.driver.findElement(By.id("lang-switch")).getText();
  }
}
