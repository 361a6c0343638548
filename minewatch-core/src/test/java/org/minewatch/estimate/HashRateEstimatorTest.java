package org.minewatch.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.minewatch.model.Algorithm;

class HashRateEstimatorTest {
  private static final long S = 1_000_000_000L;

  private static ShareSample sample(
      Algorithm a, long shares, double workPerShare, long startS, long endS) {
    return new ShareSample(a, "w", shares, shares * workPerShare, startS * S, endS * S, true);
  }

  @Test
  void rateIsWorkOverTimeWithThePoissonIntervalOfTheShareCount() {
    // 10 shares of difficulty 10,000 in 100 s: 1,000 H/s, interval 1000 × [5.425, 16.962] / 10.
    HashRate r =
        HashRateEstimator.estimate(
            Algorithm.RANDOMX, List.of(sample(Algorithm.RANDOMX, 10, 10_000, 0, 100)));
    assertThat(r.value()).isCloseTo(1000.0, within(1e-9));
    assertThat(r.low()).isCloseTo(542.5, within(0.1));
    assertThat(r.high()).isCloseTo(1696.2, within(0.1));
    assertThat(r.unit()).isEqualTo("H/s");
    assertThat(r.shares()).isEqualTo(10);
    assertThat(r.method()).isEqualTo("shares");
  }

  @Test
  void sessionsSideBySideAddAndSessionsInTurnShareOneRate() {
    ShareSample a = sample(Algorithm.SHA256D, 10, 1e12, 0, 100);
    ShareSample b = sample(Algorithm.SHA256D, 10, 1e12, 0, 100);
    assertThat(HashRateEstimator.estimate(Algorithm.SHA256D, List.of(a, b)).value())
        .isCloseTo(2e11, within(1.0));
    ShareSample later = sample(Algorithm.SHA256D, 10, 1e12, 100, 200);
    assertThat(HashRateEstimator.estimate(Algorithm.SHA256D, List.of(a, later)).value())
        .isCloseTo(1e11, within(1.0));
  }

  @Test
  void belowTheMinimumThereIsNoNumber() {
    HashRate r =
        HashRateEstimator.estimate(
            Algorithm.ETHASH, List.of(sample(Algorithm.ETHASH, 4, 4e9, 0, 600)));
    assertThat(r.tooFewShares()).isTrue();
    assertThat(r.value()).isNaN();
    assertThat(r.shares()).isEqualTo(4);
  }

  @Test
  void submittedSharesAreSaidToBeSo() {
    ShareSample s = new ShareSample(Algorithm.ETHASH, null, 8, 8 * 4e9, 0, 100 * S, false);
    assertThat(HashRateEstimator.estimate(Algorithm.ETHASH, List.of(s)).method())
        .isEqualTo("shares-submitted");
  }

  @Test
  void ratesOfDifferentAlgorithmsNeverAdd() {
    assertThatThrownBy(
            () ->
                HashRateEstimator.estimate(
                    Algorithm.SHA256D,
                    List.of(
                        sample(Algorithm.SHA256D, 10, 1, 0, 10),
                        sample(Algorithm.SCRYPT, 10, 1, 0, 10))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
