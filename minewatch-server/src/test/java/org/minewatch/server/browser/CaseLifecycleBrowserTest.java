package org.minewatch.server.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.minewatch.server.browser.ConsoleServer.GRID;
import static org.minewatch.server.browser.ConsoleServer.NANJING;
import static org.minewatch.server.browser.ConsoleServer.PASSWORD;
import static org.minewatch.server.browser.ConsoleServer.REGULATOR;
import static org.minewatch.server.browser.ConsoleServer.UNIT;
import static org.minewatch.server.browser.ConsoleServer.UNIVERSITY;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The university's case walked from 监测发现 to 销号 through the pages, each step by the role that makes
 * it: the Nanjing officer moves it, the energy regulator issues a price order, the grid company
 * confirms it executed, the unit's contact reports its rectification, and closing waits for 14
 * quiet days (the test's clock moves 15 days; the officer's 12-hour session has expired by then, so
 * the officer signs in again).
 */
class CaseLifecycleBrowserTest extends BrowserTestBase {

  @Test
  void oneCaseFromDetectedToClosedThroughThePages() {
    // The officer finds the case in the list and opens it.
    browser.signIn(NANJING, PASSWORD);
    browser.clickNav("案件");
    browser.clickAndWait(browser.driver.findElement(By.linkText(numberOf(UNIVERSITY))));
    String casePath = browser.path();
    assertThat(casePath).matches("/cases/\\d+");
    assertState("监测发现");

    move("dispatched", Map.of("note", "推送南京市，请核查归属"));
    assertState("已推送");
    move("ownership-verified", Map.of("note", "10.20.1.15 属示例大学网络中心，已电话确认"));
    assertState("归属核查");
    move(
        "inspected",
        Map.of("devices", "3", "mining", "compromised", "notes", "三台服务器以服务账户运行 XMRig"));
    assertState("现场检查");
    move("disposed", Map.of("note", "责令清除挖矿程序，移交电价处理"));
    assertState("处置");
    browser.signOut();

    // The energy regulator issues a price order: tariff misuse, the only policy for a unit in
    // Jiangsu.
    browser.signIn(REGULATOR, PASSWORD);
    browser.go(casePath);
    assertThat(browser.has(By.cssSelector("form[data-move]")))
        .as("the regulator moves no case")
        .isFalse();
    WebElement price =
        browser.driver.findElement(
            By.cssSelector("#issue-order form:has(input[name=kind][value=price])"));
    assertThat(
            price.findElements(By.cssSelector("select[name=policy] option")).stream()
                .map(o -> o.getDomAttribute("value"))
                .toList())
        .containsExactly("tariff-misuse");
    Browser.choose(price.findElement(By.name("policy")), "tariff-misuse");
    Browser.type(price.findElement(By.name("metered_kwh")), "1000");
    Browser.type(price.findElement(By.name("tariff_applied")), "0.50");
    Browser.type(price.findElement(By.name("tariff_due")), "0.80");
    Browser.type(price.findElement(By.name("note")), "按居民电价计费的机房用电");
    browser.submit(price);
    assertThat(browser.path()).isEqualTo(casePath);
    List<WebElement> cells =
        browser.driver.findElements(By.cssSelector("#orders tbody tr:first-child td"));
    assertThat(cells.get(0).getText()).matches("MW-ORD-2026-\\d{6}");
    // 1,000 kWh × (0.80 − 0.50) × 3 = 900.00 yuan, metered: low, best and high agree.
    assertThat(cells.get(2).getText()).isEqualTo("900.00 / 900.00 / 900.00");
    assertThat(cells.get(3).getText()).isEqualTo("已签发");
    assertThat(browser.has(By.cssSelector("form[action$='/execution']")))
        .as("the regulator executes nothing")
        .isFalse();
    browser.signOut();

    // The grid company confirms the order executed.
    browser.signIn(GRID, PASSWORD);
    browser.go(casePath);
    browser.submit(
        browser.driver.findElement(By.cssSelector("#orders form[action$='/execution']")));
    assertThat(browser.path()).isEqualTo(casePath);
    assertThat(
            browser
                .driver
                .findElement(By.cssSelector("#orders tbody tr:first-child td:nth-child(4)"))
                .getText())
        .isEqualTo("已执行 · grid");
    browser.signOut();

    // The officer sets the rectification deadline.
    browser.signIn(NANJING, PASSWORD);
    browser.go(casePath);
    move("rectifying", Map.of("deadline_days", "20", "note", "限期 20 日整改"));
    assertState("整改");
    // Set on Monday 2 March 2026, 10:00 Beijing time: 20 days later.
    assertThat(browser.driver.findElement(By.id("case-deadline")).getText())
        .isEqualTo("2026-03-22 10:00");
    browser.signOut();

    // The unit's contact sees what it must do by when, and reports its rectification.
    browser.signIn(UNIT, PASSWORD);
    browser.go(casePath);
    assertThat(browser.driver.findElement(By.id("what-to-do")).getText())
        .contains("2026-03-22 10:00");
    WebElement report = browser.driver.findElement(By.cssSelector("form[action$='/reports']"));
    Browser.choose(report.findElement(By.name("kind")), "rectification");
    Browser.type(report.findElement(By.name("text")), "已清除三台服务器上的 XMRig，并更换服务账户口令");
    browser.submit(report);
    assertThat(browser.path()).isEqualTo(casePath);
    assertThat(browser.driver.findElement(By.id("timeline")).getText())
        .contains("已清除三台服务器上的 XMRig，并更换服务账户口令");
    browser.signOut();

    // The officer records the re-check; closing at once is refused: no quiet days yet.
    browser.signIn(NANJING, PASSWORD);
    browser.go(casePath);
    move("rechecked", Map.of("note", "现场复查，挖矿程序已清除"));
    assertState("复查");
    move("closed", Map.of("note", "申请销号"));
    assertThat(browser.driver.findElement(By.id("form-error")).getText()).isNotBlank();
    assertState("复查");

    // Fifteen days later, with no mining seen: the session has expired, the officer signs in again.
    console.clock.advance(Duration.ofDays(15));
    browser.go(casePath);
    assertThat(browser.path())
        .isEqualTo("/login?next=" + URLEncoder.encode(casePath, StandardCharsets.UTF_8));
    browser.fillLogin(NANJING, PASSWORD);
    assertThat(browser.path()).isEqualTo(casePath);
    move("closed", Map.of("note", "连续 15 日监测未见挖矿，予以销号"));
    assertState("销号");
    assertThat(browser.has(By.id("what-to-do"))).isFalse();

    // The timeline lists every transition, in order, with who made it and when.
    List<String> transitions =
        browser.driver.findElements(By.cssSelector("#timeline > li")).stream()
            .map(li -> li.getText().lines().findFirst().orElse(""))
            .filter(l -> l.contains("→"))
            .toList();
    assertThat(transitions)
        .containsExactly(
            "2026-03-02 10:00 nanjing 监测发现 → 已推送",
            "2026-03-02 10:00 nanjing 已推送 → 归属核查",
            "2026-03-02 10:00 nanjing 归属核查 → 现场检查",
            "2026-03-02 10:00 nanjing 现场检查 → 处置",
            "2026-03-02 10:00 nanjing 处置 → 整改",
            "2026-03-02 10:00 nanjing 整改 → 复查",
            "2026-03-17 10:00 nanjing 复查 → 销号");
    assertThat(browser.driver.findElement(By.id("timeline")).getText())
        .contains("推送南京市，请核查归属", "限期 20 日整改", "连续 15 日监测未见挖矿，予以销号");
  }

  /** The case number in the list's row of {@code unit}. */
  private static String numberOf(String unit) {
    return browser
        .driver
        .findElement(
            By.xpath(
                "//table[contains(@class,'cases')]//tr[td[2][contains(., "
                    + Browser.xpathLiteral(unit)
                    + ")]]/td[1]/a"))
        .getText();
  }

  private static void assertState(String state) {
    assertThat(browser.driver.findElement(By.id("case-state")).getText()).isEqualTo(state);
  }

  /** Opens the form moving the case to {@code to}, fills it as given and presses its button. */
  private static void move(String to, Map<String, String> fields) {
    WebElement form = browser.driver.findElement(By.cssSelector("form[data-move='" + to + "']"));
    WebElement details = form.findElement(By.xpath("./ancestor::details[1]"));
    if (details.getDomProperty("open").equals("false")) {
      details.findElement(By.tagName("summary")).click();
    }
    for (Map.Entry<String, String> f : new LinkedHashMap<>(fields).entrySet()) {
      if (f.getKey().equals("mining")) {
        form.findElement(By.cssSelector("input[name=mining][value='" + f.getValue() + "']"))
            .click();
      } else {
        Browser.type(form.findElement(By.name(f.getKey())), f.getValue());
      }
    }
    browser.submit(form);
  }
}
