package org.minewatch.server.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.minewatch.server.browser.ConsoleServer.ADMIN;
import static org.minewatch.server.browser.ConsoleServer.NANJING;
import static org.minewatch.server.browser.ConsoleServer.PASSWORD;
import static org.minewatch.server.browser.ConsoleServer.UNIVERSITY;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.minewatch.governance.Governance;
import org.minewatch.governance.cases.CaseState;
import org.minewatch.governance.cases.CaseStore;
import org.minewatch.governance.user.User;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;

/**
 * Writes the README's screenshots to {@code docs/screenshots/}: the dashboard, a case page and the
 * public tip-off page, at a desktop's width (1366 × 900) and a phone's (390 × 844). Skipped unless
 * run with {@code -Dscreenshots=true}, so that {@code ./mvnw verify} does not rewrite them:
 *
 * <pre>
 * ./mvnw -B install -DskipTests
 * ./mvnw -B -pl minewatch-server test -Dtest=ScreenshotsTest -Dscreenshots=true
 * </pre>
 */
@EnabledIfSystemProperty(
    named = "screenshots",
    matches = "true",
    disabledReason = "screenshots are written only " + "with -Dscreenshots=true")
class ScreenshotsTest extends BrowserTestBase {

  /** The university's case part of the way, so that its page shows a history and the next step. */
  @BeforeAll
  static void aCaseUnderWay() {
    Governance g = console.governance;
    User officer =
        g.authenticate(g.login(NANJING, PASSWORD.toCharArray(), "screenshots")).orElseThrow();
    long id =
        g.listCases(officer, org.minewatch.governance.cases.CaseQuery.all()).cases().stream()
            .filter(c -> UNIVERSITY.equals(c.unitName()))
            .findFirst()
            .orElseThrow()
            .id();
    g.transition(
        officer,
        id,
        new CaseStore.TransitionRequest(CaseState.DISPATCHED, "推送南京市，请核查归属", null, null));
    g.transition(
        officer,
        id,
        new CaseStore.TransitionRequest(
            CaseState.OWNERSHIP_VERIFIED, "10.20.1.15 属示例大学网络中心，已电话确认", null, null));
  }

  @Test
  void writeTheScreenshots() throws IOException {
    Path out = repositoryRoot().resolve("docs/screenshots");
    Files.createDirectories(out);

    browser.signIn(ADMIN, PASSWORD);
    assertThat(browser.path()).as("the administrator's home").isEqualTo("/dashboard");
    browser.clickNav("案件");
    String casePath = browser.caseLink(UNIVERSITY);
    shoot("/dashboard", out, "dashboard");
    shoot(casePath, out, "case");
    browser.signOut();
    shoot("/tipoff", out, "tipoff");
  }

  /** The page at both widths, the viewport only, as a person first sees it. */
  private static void shoot(String path, Path dir, String name) throws IOException {
    for (Map.Entry<String, int[]> screen :
        List.of(
            Map.entry("desktop", new int[] {Browser.DESKTOP_WIDTH, Browser.DESKTOP_HEIGHT}),
            Map.entry("phone", new int[] {Browser.PHONE_WIDTH, Browser.PHONE_HEIGHT}))) {
      int[] size = screen.getValue();
      browser.viewport(size[0], size[1], screen.getKey().equals("phone"));
      browser.go(path);
      browser.wait.until(
          d -> Boolean.TRUE.equals(browser.script("return document.fonts.status === 'loaded'")));
      assertThat(browser.has(By.tagName("h1"))).as(path).isTrue();
      byte[] png = browser.driver.getScreenshotAs(OutputType.BYTES);
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
      assertThat(image.getWidth()).as(name + "-" + screen.getKey()).isEqualTo(size[0]);
      Files.write(dir.resolve(name + "-" + screen.getKey() + ".png"), png);
    }
    browser.viewport(Browser.DESKTOP_WIDTH, Browser.DESKTOP_HEIGHT, false);
  }

  /** The folder holding {@code mvnw} and {@code docs}: the tests run in the module's folder. */
  private static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("mvnw")) && Files.isDirectory(p.resolve("docs"))) {
        return p;
      }
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }
}
