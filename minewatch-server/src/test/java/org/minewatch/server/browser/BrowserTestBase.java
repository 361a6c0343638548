package org.minewatch.server.browser;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * One server and one headless browser per test class; before each test the browser forgets its
 * cookies (session, language), so every test starts signed out, in Chinese. Skipped, saying why,
 * where Chromium or chromium-driver is missing ({@link RequiresChromium}).
 */
@RequiresChromium
abstract class BrowserTestBase {
  @TempDir static Path dir;
  static ConsoleServer console;
  static Browser browser;

  @BeforeAll
  static void startServerAndBrowser() {
    Browser.assumeInstalled();
    console = ConsoleServer.start(dir.resolve("data"));
    browser = Browser.open(console.base(), dir.resolve("chromium-profile"));
  }

  @AfterAll
  static void stopServerAndBrowser() {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      browser = null;
      if (console != null) {
        console.close();
      }
      console = null;
    }
  }

  @BeforeEach
  void signedOutInChinese() {
    browser.forget();
  }
}
