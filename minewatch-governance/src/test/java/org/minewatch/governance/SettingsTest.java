package org.minewatch.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.governance.cases.CaseState;

/**
 * What an administration configures: deadlines per state, the rectification period, the quiet days.
 */
class SettingsTest {
  @TempDir Path dir;

  @Test
  void defaults() {
    Settings s = Settings.defaults();
    assertThat(s.deadline(CaseState.DETECTED)).isEqualTo(Duration.ofDays(3));
    assertThat(s.deadline(CaseState.DISPATCHED)).isEqualTo(Duration.ofDays(5));
    assertThat(s.deadline(CaseState.OWNERSHIP_VERIFIED)).isEqualTo(Duration.ofDays(7));
    assertThat(s.deadline(CaseState.INSPECTED)).isEqualTo(Duration.ofDays(5));
    assertThat(s.deadline(CaseState.DISPOSED)).isEqualTo(Duration.ofDays(10));
    assertThat(s.deadline(CaseState.RECTIFYING)).isEqualTo(Duration.ofDays(30));
    assertThat(s.deadline(CaseState.RECHECKED)).isEqualTo(Duration.ofDays(14 + 7));
    assertThat(s.deadline(CaseState.REOPENED)).isEqualTo(Duration.ofDays(3));
    assertThat(s.deadline(CaseState.CLOSED)).isNull();
    assertThat(s.deadline(CaseState.REJECTED)).isNull();
    assertThat(s.quietDays()).isEqualTo(14);
  }

  @Test
  void readFromAPropertiesFile() throws IOException {
    Path f =
        Files.writeString(
            dir.resolve("settings.properties"),
            "deadline.dispatched = 2\ndeadline.closed=1\nrectification.days=20\nclose.quiet-days=7\n");

    Settings s = Settings.read(f);

    assertThat(s.deadline(CaseState.DISPATCHED)).isEqualTo(Duration.ofDays(2));
    assertThat(s.deadline(CaseState.DETECTED)).isEqualTo(Duration.ofDays(3));
    assertThat(s.deadline(CaseState.CLOSED)).isEqualTo(Duration.ofDays(1));
    assertThat(s.deadline(CaseState.RECTIFYING)).isEqualTo(Duration.ofDays(20));
    assertThat(s.deadline(CaseState.RECHECKED)).isEqualTo(Duration.ofDays(14));
    assertThat(s.quietDays()).isEqualTo(7);
  }

  @Test
  void aBadSettingNamesTheFileAndTheKey() throws IOException {
    for (String[] bad :
        new String[][] {
          {"close.quiet-days=two", "close.quiet-days=two: not a whole number of days"},
          {"rectification.days=-1", "rectification.days=-1: days must be 0 to 3650"},
          {"deadline.finished=3", "deadline.finished=3: \"finished\" is not a case state"},
          {"quiet=3", "quiet=3: unknown setting"}
        }) {
      Path f = Files.writeString(dir.resolve("bad.properties"), bad[0] + "\n");
      assertThatThrownBy(() -> Settings.read(f))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(f + ": " + bad[1]);
    }
  }
}
