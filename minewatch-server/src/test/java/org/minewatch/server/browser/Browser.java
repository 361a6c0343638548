package org.minewatch.server.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its chromium-driver, used as a person uses the console:
 * it opens pages, clicks links, fills forms and presses buttons. Every wait is for a condition (the
 * old page gone, an element there), never for a time.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final int DESKTOP_WIDTH = 1366;
  static final int DESKTOP_HEIGHT = 900;
  static final int PHONE_WIDTH = 390;
  static final int PHONE_HEIGHT = 844;

  final ChromeDriver driver;
  final WebDriverWait wait;
  private final String base;

  private Browser(String base, ChromeDriver driver) {
    this.base = base;
    this.driver = driver;
    this.wait = new WebDriverWait(driver, Duration.ofSeconds(30));
  }

  /** Whether Debian's chromium and chromium-driver are both installed. */
  static boolean installed() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
  }

  /** Skips the calling test, saying why, where Chromium or its driver is not installed. */
  static void assumeInstalled() {
    assumeTrue(
        Files.isExecutable(CHROMIUM),
        CHROMIUM + " is not installed (apt-get install chromium): browser tests " + "skipped");
    assumeTrue(
        Files.isExecutable(CHROMEDRIVER),
        CHROMEDRIVER
            + " is not installed (apt-get install chromium-driver): "
            + "browser tests skipped");
  }

  /**
   * A new headless browser with its own fresh profile in {@code profile}, asking for Chinese pages
   * first.
   */
  static Browser open(String base, Path profile) {
    assumeInstalled();
    try {
      Files.createDirectories(profile);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    // Never let Selenium Manager look for (or download) a driver or a browser: both are given.
    System.setProperty("SE_OFFLINE", "true");
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--user-data-dir=" + profile.toAbsolutePath(),
        "--window-size=" + DESKTOP_WIDTH + "," + DESKTOP_HEIGHT,
        "--lang=zh-CN");
    options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "zh-CN,zh"));
    // An alert left open must stay for the test to find, not be dismissed behind its back.
    options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(
                profile.resolveSibling(profile.getFileName() + ".chromedriver.log").toFile())
            .build();
    return new Browser(base, new ChromeDriver(service, options));
  }

  // ------------------------------------------------------------------ moving around

  /** Opens a page of the server by its path, as typed into the address bar. */
  void go(String path) {
    driver.get(base + path);
  }

  /** The current page's path and query, without the server. */
  String path() {
    String url = driver.getCurrentUrl();
    return url.startsWith(base) ? url.substring(base.length()) : url;
  }

  /** Clicks something that loads another page and waits until the new page is there. */
  void clickAndWait(WebElement e) {
    WebElement old = driver.findElement(By.tagName("html"));
    e.click();
    wait.until(d -> gone(old));
    wait.until(
        d ->
            "complete"
                .equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
  }

  /**
   * Whether the old page's element is gone. Chromium reports a node of a page being replaced either
   * as stale or, in the middle of the navigation, as one that "does not belong to the document";
   * both mean the old page is gone.
   */
  private static boolean gone(WebElement old) {
    try {
      old.isEnabled();
      return false;
    } catch (org.openqa.selenium.StaleElementReferenceException e) {
      return true;
    } catch (org.openqa.selenium.WebDriverException e) {
      if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
        return true;
      }
      throw e;
    }
  }

  /** Presses the form's submit button and waits for the page that answers. */
  void submit(WebElement form) {
    clickAndWait(form.findElement(By.cssSelector("button[type=submit], button:not([type])")));
  }

  /** Clicks the link with this exact text in the main navigation. */
  void clickNav(String text) {
    clickAndWait(
        driver.findElement(By.xpath("//header//nav//a[normalize-space(.)='" + text + "']")));
  }

  // ------------------------------------------------------------------ signing in and out

  /** Signs in through the login page (which, signed in, leads to the home page). */
  void signIn(String user, String password) {
    go("/login");
    fillLogin(user, password);
    assertThat(driver.findElements(By.id("login-error"))).as("signed in as " + user).isEmpty();
  }

  /** Fills the login form on the current page and presses its button. */
  void fillLogin(String user, String password) {
    WebElement name = driver.findElement(By.id("user"));
    name.clear();
    name.sendKeys(user);
    driver.findElement(By.id("password")).sendKeys(password);
    submit(driver.findElement(By.cssSelector("form[action='/login']")));
  }

  /** Presses the header's sign-out button. */
  void signOut() {
    submit(driver.findElement(By.cssSelector("header form[action='/logout']")));
    assertThat(path()).startsWith("/login");
  }

  /** Forgets the session, the language and everything else the site stored. */
  void forget() {
    go("/login");
    driver.manage().deleteAllCookies();
  }

  void setCookie(String name, String value) {
    driver
        .manage()
        .addCookie(
            new Cookie.Builder(name, value).path("/").isHttpOnly(true).sameSite("Strict").build());
  }

  // ------------------------------------------------------------------ reading pages

  String h1() {
    return driver.findElement(By.tagName("h1")).getText();
  }

  /** The page's visible text. */
  String text() {
    return driver.findElement(By.tagName("body")).getText();
  }

  boolean has(By by) {
    return !driver.findElements(by).isEmpty();
  }

  /** The hrefs of the main navigation's links, in order. */
  List<String> navLinks() {
    return driver.findElements(By.cssSelector("header nav a")).stream()
        .map(a -> a.getDomAttribute("href"))
        .toList();
  }

  /** The case list's rows: the unit column's first line (the unit's name, or the host). */
  List<String> caseUnits() {
    return driver.findElements(By.cssSelector("table.cases tbody tr td:nth-child(2)")).stream()
        .map(td -> td.getText().lines().findFirst().orElse(""))
        .toList();
  }

  /** The path of the case whose row in the list shows {@code unit}. */
  String caseLink(String unit) {
    return driver
        .findElement(
            By.xpath(
                "//table[contains(@class,'cases')]//tr[td[2][contains(., "
                    + xpathLiteral(unit)
                    + ")]]/td[1]/a"))
        .getDomAttribute("href");
  }

  /** Asserts the page is the error page with this status. */
  void assertErrorPage(int status) {
    assertThat(h1()).as("the error page of " + path()).endsWith("(" + status + ")");
    assertThat(driver.findElement(By.cssSelector("main .error[role=alert]")).getText())
        .isNotBlank();
  }

  /** Asserts no alert (or other dialog) is open. */
  void assertNoAlert() {
    assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
  }

  // ------------------------------------------------------------------ forms

  static void type(WebElement field, String text) {
    field.clear();
    field.sendKeys(text);
  }

  static void choose(WebElement select, String value) {
    new Select(select).selectByValue(value);
  }

  /** An XPath string literal for any text, quotes included. */
  static String xpathLiteral(String s) {
    if (!s.contains("'")) {
      return "'" + s + "'";
    }
    return "concat('" + s.replace("'", "', \"'\", '") + "')";
  }

  Object script(String js, Object... args) {
    return driver.executeScript(js, args);
  }

  // ------------------------------------------------------------------ screens

  /**
   * Sets the page's viewport to exactly {@code width} × {@code height} CSS pixels; a phone's is a
   * mobile one.
   */
  void viewport(int width, int height, boolean mobile) {
    driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
  }

  @Override
  public void close() {
    driver.quit();
  }
}
