package org.minewatch.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PoissonTest {
  /** Garwood 90% limits from published tables (e.g. Gehrels 1986, Table 1 and 2; S = 1.645). */
  @Test
  void exactNinetyPercentLimitsMatchTables() {
    assertThat(Poisson.lower(0, 0.90)).isZero();
    assertThat(Poisson.upper(0, 0.90)).isCloseTo(2.996, within(0.001));
    assertThat(Poisson.lower(1, 0.90)).isCloseTo(0.0513, within(0.0001));
    assertThat(Poisson.upper(1, 0.90)).isCloseTo(4.744, within(0.001));
    assertThat(Poisson.lower(10, 0.90)).isCloseTo(5.425, within(0.001));
    assertThat(Poisson.upper(10, 0.90)).isCloseTo(16.962, within(0.001));
  }

  @Test
  void largeCountsApproachTheNormalInterval() {
    double n = 10_000;
    assertThat(Poisson.lower(10_000, 0.90)).isCloseTo(n - 1.645 * Math.sqrt(n), within(2.0));
    assertThat(Poisson.upper(10_000, 0.90)).isCloseTo(n + 1.645 * Math.sqrt(n), within(2.0));
  }

  @Test
  void logGammaOfIntegersIsTheLogOfFactorials() {
    assertThat(Poisson.logGamma(1)).isCloseTo(0, within(1e-12));
    assertThat(Poisson.logGamma(5)).isCloseTo(Math.log(24), within(1e-12));
    assertThat(Poisson.logGamma(0.5)).isCloseTo(Math.log(Math.sqrt(Math.PI)), within(1e-12));
  }
}
