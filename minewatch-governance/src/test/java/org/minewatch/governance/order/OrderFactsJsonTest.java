package org.minewatch.governance.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The facts are stored as JSON and the document re-rendered from them: it must come out the same.
 */
class OrderFactsJsonTest {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  @Test
  void everyKindRendersTheSameAfterAJsonRoundTrip() throws Exception {
    PriceComputation misuse =
        PriceCalculator.compute(
            TariffPolicies.builtIn().require("tariff-misuse"),
            PriceInput.estimated(200, 209.28, 230, null, LocalDate.of(2026, 2, 28))
                .withTariffs(new BigDecimal("0.3598"), new BigDecimal("0.6431")));
    for (OrderFacts facts :
        List.of(
            OrderFixtures.price("X", OrderFixtures.innerMongoliaMetered()),
            OrderFixtures.price("X", misuse),
            OrderFixtures.powerCut(),
            OrderFixtures.summons())) {
      OrderFacts back = JSON.readValue(JSON.writeValueAsString(facts), OrderFacts.class);
      // Jackson turns the +08:00 issue time into UTC; the document still shows 10:30 Beijing time.
      assertThat(back.issuedAt().getOffset()).isEqualTo(java.time.ZoneOffset.UTC);
      assertThat(back.issuedAt().toInstant()).isEqualTo(facts.issuedAt().toInstant());
      for (String lang : List.of("zh", "en")) {
        assertThat(OrderDocument.html(back, lang)).isEqualTo(OrderDocument.html(facts, lang));
      }
      assertThat(back.price()).isEqualTo(facts.price());
    }
  }
}
