package org.minewatch.server.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.minewatch.server.browser.ConsoleServer.ADMIN;
import static org.minewatch.server.browser.ConsoleServer.NANJING;
import static org.minewatch.server.browser.ConsoleServer.PASSWORD;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.minewatch.attribution.registry.RegistryImport;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Markup in data shows as text: a unit name from the registry and a tip-off's fields holding {@code
 * <script>alert(1)</script>} appear literally on the pages, and no script runs. (The
 * Content-Security-Policy, which forbids inline scripts, would stop the alert on its own; the text
 * shown literally, and no element made of it, is what proves the escaping.)
 */
class EscapingBrowserTest extends BrowserTestBase {
  static final String SCRIPT = "<script>alert(1)</script>";
  static final String UNIT_NAME = SCRIPT + " 示例网吧";
  static final String UNIT_ADDRESS = "<img src=x onerror=alert(2)>示例路 9 号";
  static final String HOST = "172.16.5.5";

  /**
   * A unit whose name and address are markup, holding a host that mines (the university miner's
   * line, moved).
   */
  @BeforeAll
  static void aUnitNamedWithAScript() {
    console.importRegistry(
        String.join(",", RegistryImport.COLUMNS)
            + "\n"
            + "172.16.0.0/16,\""
            + UNIT_NAME
            + "\",,enterprise,320100,南京市,\""
            + UNIT_ADDRESS
            + "\",owner@example.cn\n");
    console.ingest(List.of(ConsoleServer.finding("10.20.1.15").replace("10.20.1.15", HOST)));
  }

  @Test
  void aUnitNameHoldingAScriptShowsAsText() {
    browser.signIn(ADMIN, PASSWORD);
    browser.go("/cases");
    assertThat(browser.caseUnits()).contains(UNIT_NAME);
    assertNothingRan();
    browser.clickAndWait(
        browser.driver.findElement(
            By.xpath(
                "//table[contains(@class,'cases')]//tr[td[2][contains(., "
                    + Browser.xpathLiteral(UNIT_NAME)
                    + ")]]/td[1]/a")));
    assertThat(browser.driver.findElement(By.id("unit-name")).getText()).isEqualTo(UNIT_NAME);
    assertThat(browser.text()).contains(UNIT_ADDRESS, HOST);
    assertNothingRan();
  }

  @Test
  void aTipOffHoldingAScriptShowsAsText() {
    browser.go("/tipoff");
    WebElement form = browser.driver.findElement(By.cssSelector("form[action='/tipoff']"));
    form.findElement(By.id("category-hidden-mining")).click();
    Browser.type(form.findElement(By.id("address")), UNIT_ADDRESS);
    Browser.type(form.findElement(By.id("unit")), UNIT_NAME);
    Browser.type(form.findElement(By.id("description")), SCRIPT + " 夜间机房风扇声很大");
    Browser.type(form.findElement(By.id("contact")), "<b>138</b>");
    browser.submit(form);
    assertThat(browser.driver.findElement(By.id("tracking-code")).getText())
        .matches("TO-[0-9A-Z]{20}");

    browser.signIn(NANJING, PASSWORD);
    browser.go("/tipoffs");
    WebElement tipoff = browser.driver.findElement(By.cssSelector("article.tipoff"));
    assertThat(tipoff.findElement(By.cssSelector(".tipoff-description")).getText())
        .isEqualTo(SCRIPT + " 夜间机房风扇声很大");
    assertThat(tipoff.findElement(By.cssSelector(".tipoff-unit")).getText()).isEqualTo(UNIT_NAME);
    assertThat(tipoff.findElement(By.cssSelector(".tipoff-address")).getText())
        .isEqualTo(UNIT_ADDRESS);
    assertThat(tipoff.findElement(By.cssSelector(".tipoff-contact")).getText())
        .isEqualTo("<b>138</b>");
    assertNothingRan();
  }

  /**
   * No alert open, no element made from the data, and the markup only as escaped text in the
   * document.
   */
  private static void assertNothingRan() {
    browser.assertNoAlert();
    assertThat(browser.driver.findElements(By.xpath("//script[contains(., 'alert')]"))).isEmpty();
    assertThat(browser.driver.findElements(By.cssSelector("img[src=x], main b"))).isEmpty();
    assertThat(browser.driver.getPageSource())
        .doesNotContain(SCRIPT, "<img src=\"x\"", "<img src=x")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
  }
}
