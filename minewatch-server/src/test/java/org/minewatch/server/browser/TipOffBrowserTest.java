package org.minewatch.server.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.minewatch.server.browser.ConsoleServer.AUDITOR;
import static org.minewatch.server.browser.ConsoleServer.NANJING;
import static org.minewatch.server.browser.ConsoleServer.PASSWORD;
import static org.minewatch.server.browser.ConsoleServer.UNIVERSITY;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The public tip-off page, without signing in: a tipster files a tip-off, keeps the tracking code
 * and follows it on the status page, before and after an officer joins it to a case; mistakes show
 * as messages beside their fields.
 */
class TipOffBrowserTest extends BrowserTestBase {
  static final String ADDRESS = "南京市鼓楼区示例路 22 号计算中心地下一层";
  static final String DESCRIPTION = "机房夜间风扇声很大，门口贴着“数据中心”，但没有网络业务。";
  static final String CONTACT = "李先生 138 0000 0000";

  @Test
  void fileATipOffAndFollowItWithTheCode() {
    browser.go("/login");
    browser.clickNav("我要举报");
    assertThat(browser.path()).isEqualTo("/tipoff");
    assertThat(browser.h1()).isEqualTo("举报虚拟货币“挖矿”");
    String code = fileTipOff("disguised-data-centre", ADDRESS, "示例大学", DESCRIPTION, CONTACT);

    // The tipster enters the code on the status page.
    assertThat(status(code)).isEqualTo("已受理");
    assertThat(browser.driver.findElement(By.id("received-at")).getText())
        .isEqualTo("2026-03-02 10:00");
    assertThat(browser.text())
        .as("the code shows the status and nothing else")
        .doesNotContain(ADDRESS, DESCRIPTION, CONTACT, "示例大学");

    // The Nanjing officer reads it, with the contact, and joins it to the university's case.
    browser.signIn(NANJING, PASSWORD);
    browser.clickNav("案件");
    String number =
        browser
            .driver
            .findElement(
                By.xpath(
                    "//table[contains(@class,'cases')]//tr[td[2][contains(., "
                        + Browser.xpathLiteral(UNIVERSITY)
                        + ")]]/td[1]/a"))
            .getText();
    browser.clickNav("举报");
    assertThat(browser.path()).isEqualTo("/tipoffs");
    WebElement tipoff = tipOff(DESCRIPTION);
    assertThat(tipoff.findElement(By.cssSelector(".tipoff-address")).getText()).isEqualTo(ADDRESS);
    assertThat(tipoff.findElement(By.cssSelector(".tipoff-contact")).getText()).isEqualTo(CONTACT);
    assertThat(tipoff.findElement(By.cssSelector("h2 .state")).getText()).isEqualTo("已受理");
    WebElement link =
        tipoff.findElement(By.cssSelector("form:has(input[name=action][value=link])"));
    Browser.type(link.findElement(By.name("case")), number);
    browser.submit(link);
    assertThat(browser.path()).startsWith("/tipoffs");
    tipoff = tipOff(DESCRIPTION);
    assertThat(tipoff.findElement(By.cssSelector("h2 .state")).getText()).isEqualTo("已并入案件");
    assertThat(tipoff.findElements(By.cssSelector("form"))).as("triaged once").isEmpty();
    assertThat(tipoff.findElement(By.cssSelector("a[href^='/cases/']")).getDomAttribute("href"))
        .matches("/cases/\\d+");
    browser.signOut();

    // The tipster sees the new status with the same code.
    assertThat(status(code)).isEqualTo("已并入案件");
  }

  @Test
  void missingFieldsAreNamedBesideThemAndWhatWasTypedStays() {
    browser.go("/tipoff");
    WebElement form = browser.driver.findElement(By.cssSelector("form[action='/tipoff']"));
    Browser.type(form.findElement(By.id("unit")), "示例网吧");
    browser.submit(form);
    assertThat(browser.driver.findElement(By.id("category-error")).getText()).isEqualTo("请选择举报类型。");
    assertThat(browser.driver.findElement(By.id("address-error")).getText()).isEqualTo("请填写地点地址。");
    assertThat(browser.driver.findElement(By.id("description-error")).getText())
        .isEqualTo("请描述您看到的情况。");
    assertThat(browser.has(By.id("unit-error"))).isFalse();
    assertThat(browser.driver.findElement(By.id("error-summary")).findElements(By.tagName("li")))
        .hasSize(3);
    assertThat(browser.driver.findElement(By.id("unit")).getDomProperty("value")).isEqualTo("示例网吧");
    assertThat(browser.driver.findElement(By.id("address")).getDomAttribute("aria-invalid"))
        .isEqualTo("true");

    // Corrected, it goes through.
    form = browser.driver.findElement(By.cssSelector("form[action='/tipoff']"));
    browser.driver.findElement(By.cssSelector("label[for=category-hidden-mining]")).click();
    Browser.type(form.findElement(By.id("address")), "苏州市姑苏区示例小区 3 栋");
    Browser.type(form.findElement(By.id("description")), "楼内常年有矿机噪音");
    browser.submit(form);
    assertThat(browser.driver.findElement(By.id("tracking-code")).getText())
        .matches("TO-[0-9A-Z]{20}");
  }

  @Test
  void aWrongCodeIsAMessageNotAnError() {
    browser.go("/tipoff/status");
    enterCode("TO-1234");
    assertThat(browser.driver.findElement(By.id("code-error")).getText())
        .startsWith("查询码由“TO-”和 20 位字母、数字组成");
    enterCode("TO-00000000000000000000");
    assertThat(browser.driver.findElement(By.id("code-error")).getText())
        .isEqualTo("没有与此查询码对应的举报，请核对后重试。");
    assertThat(browser.has(By.id("status-result"))).isFalse();
  }

  @Test
  void theAuditorReadsTipOffsWithoutContactsAndTriagesNone() {
    browser.go("/tipoff");
    fileTipOff("renting-to-miners", "无锡市梁溪区示例大道 8 号", "", "有人出租厂房给矿工", "wang@example.cn");
    browser.signIn(AUDITOR, PASSWORD);
    browser.clickNav("举报");
    WebElement tipoff = tipOff("有人出租厂房给矿工");
    assertThat(tipoff.findElements(By.cssSelector(".tipoff-contact"))).isEmpty();
    assertThat(browser.text()).doesNotContain("wang@example.cn");
    assertThat(tipoff.findElements(By.tagName("form"))).isEmpty();
  }

  /**
   * Fills the public form on the current page and sends it; returns the tracking code the answer
   * shows.
   */
  static String fileTipOff(
      String category, String address, String unit, String description, String contact) {
    WebElement form = browser.driver.findElement(By.cssSelector("form[action='/tipoff']"));
    // As a person does: by the choice's label.
    browser.driver.findElement(By.cssSelector("label[for=category-" + category + "]")).click();
    Browser.type(form.findElement(By.id("address")), address);
    Browser.type(form.findElement(By.id("unit")), unit);
    Browser.type(form.findElement(By.id("description")), description);
    Browser.type(form.findElement(By.id("contact")), contact);
    browser.submit(form);
    assertThat(browser.h1()).isEqualTo("感谢您的举报，我们已收到");
    String code = browser.driver.findElement(By.id("tracking-code")).getText();
    assertThat(code).matches("TO-[0-9A-Z]{20}");
    return code;
  }

  /**
   * Goes to the status page by the tip-off page's link, enters the code, and reads the status
   * shown.
   */
  private static String status(String code) {
    browser.go("/tipoff");
    browser.clickAndWait(
        browser.driver.findElement(By.cssSelector("main a[href='/tipoff/status']")));
    enterCode(code);
    return browser.driver.findElement(By.id("tipoff-status")).getText();
  }

  private static void enterCode(String code) {
    WebElement form = browser.driver.findElement(By.cssSelector("form[action='/tipoff/status']"));
    Browser.type(form.findElement(By.id("code")), code);
    browser.submit(form);
  }

  /** The officers' list entry holding {@code description}. */
  private static WebElement tipOff(String description) {
    return browser.driver.findElement(
        By.xpath(
            "//article[contains(@class,'tipoff')][.//dd[contains(@class,"
                + "'tipoff-description') and normalize-space(.)="
                + Browser.xpathLiteral(description)
                + "]]"));
  }
}
