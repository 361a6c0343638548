package org.minewatch.governance.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class OrderMessagesTest {

  @Test
  void bothLanguagesHaveTheSameKeys() {
    assertThat(OrderMessages.of("en").keys()).isEqualTo(OrderMessages.of("zh").keys());
  }

  @Test
  void everyKindHasATitleAndEveryPolicyKindALabel() {
    for (String lang : new String[] {"zh", "en"}) {
      OrderMessages m = OrderMessages.of(lang);
      for (OrderKind k : OrderKind.values()) {
        assertThat(m.get("title." + k.label())).isNotBlank();
      }
      for (PolicyKind k : PolicyKind.values()) {
        assertThat(m.get("kind." + k.label())).isNotBlank();
      }
      for (OrderFacts.Verdict v : OrderFacts.Verdict.values()) {
        assertThat(m.get("assessment." + v.label())).isNotBlank();
      }
    }
  }

  @Test
  void languagesAreReadFromTagsAndLocales() {
    assertThat(OrderMessages.of("zh-CN").lang()).isEqualTo("zh");
    assertThat(OrderMessages.of(Locale.SIMPLIFIED_CHINESE).lang()).isEqualTo("zh");
    assertThat(OrderMessages.of("EN_us").lang()).isEqualTo("en");
  }

  @Test
  void numbersAreGroupedWithTwoDecimals() {
    assertThat(OrderMessages.number(new BigDecimal("1234567.005"))).isEqualTo("1,234,567.01");
    assertThat(OrderMessages.rate(new BigDecimal("1"))).isEqualTo("1.00");
    assertThat(OrderMessages.rate(new BigDecimal("0.5383"))).isEqualTo("0.5383");
  }
}
