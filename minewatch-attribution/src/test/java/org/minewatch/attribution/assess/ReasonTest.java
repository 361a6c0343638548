package org.minewatch.attribution.assess;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ReasonTest {
  private static final Locale ZH = Locale.forLanguageTag("zh");

  @Test
  void readsInEitherLanguageWithPhrasesFromTheSameBundle() {
    Reason r = Reason.of("assess.off_hours", "02:14", Reason.of("day.TUESDAY"), "Asia/Shanghai");
    assertThat(r.text())
        .isEqualTo(
            "compromise (weak): first seen mining at 02:14 on a Tuesday (Asia/Shanghai), "
                + "outside working hours");
    assertThat(r.text(ZH, Reason.BUNDLE))
        .isEqualTo("入侵迹象（弱）：首次发现挖矿在星期二 02:14（Asia/Shanghai），非工作时间");
    Reason farm =
        Reason.of("assess.farm", 12, "示例大学", Reason.of("assess.login_on", "x.worker", "f2pool"));
    assertThat(farm.text())
        .isEqualTo(
            "deliberate: 12 hosts of 示例大学 mine for one beneficiary "
                + "(account x.worker on f2pool): a farm");
    assertThat(farm.text(ZH, Reason.BUNDLE))
        .isEqualTo("自营迹象：示例大学的 12 台主机为同一受益人挖矿（f2pool 上的账户 x.worker），属矿场");
  }

  @Test
  void storedAsOneLineAndBackWithHostileDataKeptAsData() {
    Reason r = Reason.of("assess.worker", "a\tb\nc'{0}\u0001x", Reason.of("assess.worker_random"));
    String line = r.encode();
    assertThat(line).doesNotContain("\n").startsWith("assess.worker\t");
    Reason back = Reason.decode(line);
    assertThat(back).isEqualTo(r);
    // Braces and quotes in data are not patterns; a control character cannot forge a phrase.
    assertThat(back.text()).isEqualTo("compromise: worker name \"a b c'{0} x\" is a random string");
  }

  @Test
  void aSentenceStoredBeforeCodesReadsAsItself() {
    String old = "compromise: mining over TLS to port 443, hidden among web traffic";
    assertThat(Reason.decode(old).text(ZH, Reason.BUNDLE)).isEqualTo(old);
  }

  @Test
  void bothLanguagesHaveTheSameCodes() throws IOException {
    assertThat(keys("reasons_zh.properties")).isEqualTo(keys("reasons.properties"));
  }

  private static List<String> keys(String file) throws IOException {
    Properties p = new Properties();
    try (InputStream in = ReasonTest.class.getResourceAsStream(file)) {
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
    return p.stringPropertyNames().stream().sorted().toList();
  }
}
