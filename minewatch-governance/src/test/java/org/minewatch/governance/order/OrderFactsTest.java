package org.minewatch.governance.order;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class OrderFactsTest {

  @Test
  void aProvincialPolicyIsRefusedForAUnitInAnotherProvince() {
    PriceComputation sichuan =
        PriceCalculator.compute(
            TariffPolicies.builtIn().require("sichuan-2022"),
            PriceInput.metered(BigDecimal.TEN, null, null));
    assertThatThrownBy(
            () -> OrderFixtures.price("X", sichuan)) // the unit is in 150102, Inner Mongolia
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("price: policy sichuan-2022 is for region 510000, the unit is in 150102");
  }

  @Test
  void theKindSpecificPartMustMatchTheKind() {
    assertThatThrownBy(() -> OrderFixtures.base(OrderKind.PRICE, "X", null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("price: required for a price order and only for one");
    assertThatThrownBy(
            () ->
                OrderFixtures.base(
                    OrderKind.SUMMONS,
                    "X",
                    OrderFixtures.innerMongoliaMetered(),
                    null,
                    OrderFixtures.summons().summons()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("price: required for a price order and only for one");
  }

  @Test
  void anEnergyEstimateOutOfOrderIsRefused() {
    assertThatThrownBy(() -> new OrderFacts.EnergyEstimate(3, 2, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("energy: needs 0 <= low <= best <= high, got 3.0, 2.0, 1.0");
  }
}
