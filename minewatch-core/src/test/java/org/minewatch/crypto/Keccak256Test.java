package org.minewatch.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Keccak256Test {
  private static String keccak(String s) {
    return HexFormat.of().formatHex(Keccak256.digest(s.getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void matchesPublishedVectors() {
    // Ethereum's well-known values: the empty string and the ERC-20 transfer selector source.
    assertThat(keccak(""))
        .isEqualTo("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    assertThat(keccak("transfer(address,uint256)")).startsWith("a9059cbb");
    assertThat(keccak("abc"))
        .isEqualTo("4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  }

  @Test
  void handlesInputsAcrossTheRateBoundary() {
    // 136 bytes is one full block: the padding then takes a block of its own.
    String a136 = "a".repeat(136);
    String a135 = "a".repeat(135);
    assertThat(keccak(a136)).isNotEqualTo(keccak(a135)).hasSize(64);
    assertThat(Keccak256.digest(new byte[300], 10, 136)).isEqualTo(Keccak256.digest(new byte[136]));
  }
}
