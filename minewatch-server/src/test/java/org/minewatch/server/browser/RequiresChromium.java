package org.minewatch.server.browser;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Runs a browser test class only where Debian's chromium and chromium-driver are installed;
 * elsewhere every test of the class is reported skipped with the reason (decided before any server
 * or browser starts).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@EnabledIf(
    value = "org.minewatch.server.browser.Browser#installed",
    disabledReason =
        "browser tests need "
            + "/usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver): skipped")
@interface RequiresChromium {}
