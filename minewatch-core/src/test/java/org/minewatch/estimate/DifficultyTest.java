package org.minewatch.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.minewatch.model.Algorithm;

class DifficultyTest {
  @Test
  void moneroFourByteTargetAsXmrigComputesIt() {
    // "b88d0600" is 0x00068db8 = 429,496 little-endian; (2^32-1) / 429,496 = 10,000.
    assertThat(Difficulty.fromXmrTarget("b88d0600")).isCloseTo(10_000.0, within(1e-6));
    // The corpus's xmr-stak target "dc460300": 0x000346dc = 214,748 -> 20,000.
    assertThat(Difficulty.fromXmrTarget("dc460300")).isCloseTo(20_000.0, within(1e-6));
  }

  @Test
  void moneroEightByteTargetIsUsedAsItIs() {
    // 2^64 / 2^40 = 2^24 (the 64-bit target 0x0000010000000000 written little-endian).
    assertThat(Difficulty.fromXmrTarget("0000000000010000")).isCloseTo(16_777_216.0, within(1e-3));
  }

  @Test
  void fullWidthTargetsGiveTwoToThe256OverTheTarget() {
    String boundary =
        BigInteger.ONE.shiftLeft(256).divide(BigInteger.valueOf(4_000_000_000L)).toString(16);
    assertThat(Difficulty.fromTarget256("0x" + boundary)).isCloseTo(4.0e9, within(1.0));
    // A target of 2^240 (leading zeros included or stripped) stands for 2^16 solutions.
    assertThat(Difficulty.fromTarget256("0001" + "0".repeat(60))).isCloseTo(65536.0, within(1e-9));
    assertThat(Difficulty.fromTarget256("0x1" + "0".repeat(60))).isCloseTo(65536.0, within(1e-9));
  }

  @Test
  void stratumDifficultyOneIsTwoToThe32HashesForSha256AndTwoToThe16ForScrypt() {
    assertThat(Difficulty.stratumShareWork(65536, Algorithm.SHA256D)).isEqualTo(Math.pow(2, 48));
    assertThat(Difficulty.stratumShareWork(1, Algorithm.SCRYPT)).isEqualTo(65536.0);
    assertThat(Difficulty.stratumShareWork(0.5, Algorithm.ETHASH)).isEqualTo(Math.pow(2, 31));
    assertThat(Difficulty.stratumShareWork(1, Algorithm.RANDOMX)).isNull();
    assertThat(Difficulty.stratumShareWork(1, null)).isNull();
  }

  @Test
  void badTargetsAreRefused() {
    assertThatThrownBy(() -> Difficulty.fromXmrTarget("00000000")).hasMessage("a zero target");
    assertThatThrownBy(() -> Difficulty.fromXmrTarget("abcdef"))
        .hasMessage("a job target has 4 or 8 bytes, not 3");
  }
}
