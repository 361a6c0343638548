package org.minewatch.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.minewatch.crypto.Keccak256;
import org.minewatch.identity.Wallets;
import org.minewatch.model.Coin;

/** The probe's logins are valid addresses that belong to no one, derived as documented. */
class ProbeIdentityTest {
  private static final String ALPHABET =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final int[] CHARS_FOR_BYTES = {0, 2, 3, 5, 6, 7, 9, 10, 11};

  @Test
  void theMoneroLoginIsMadeFromHashesNotKeys() {
    byte[] data = new byte[69];
    data[0] = 0x12; // Monero mainnet standard address
    System.arraycopy(
        keccak("MineWatch-probe: no one holds the spend key of this address"), 0, data, 1, 32);
    System.arraycopy(
        keccak("MineWatch-probe: no one holds the view key of this address"), 0, data, 33, 32);
    System.arraycopy(Keccak256.digest(data, 0, 65), 0, data, 65, 4);
    StringBuilder s = new StringBuilder();
    for (int off = 0; off < data.length; off += 8) { // Monero's Base58: 8-byte blocks
      int n = Math.min(8, data.length - off);
      BigInteger v = new BigInteger(1, java.util.Arrays.copyOfRange(data, off, off + n));
      char[] block = new char[CHARS_FOR_BYTES[n]];
      for (int i = block.length - 1; i >= 0; i--) {
        block[i] = ALPHABET.charAt(v.mod(BigInteger.valueOf(58)).intValue());
        v = v.divide(BigInteger.valueOf(58));
      }
      s.append(block);
    }
    assertThat(ProbeIdentity.MONERO_LOGIN).isEqualTo(s.toString());
    assertThat(Wallets.recognise(ProbeIdentity.MONERO_LOGIN).orElseThrow().coin())
        .isEqualTo(Coin.MONERO);
  }

  @Test
  void theOtherLoginsAreTheWellKnownUnspendableAddresses() {
    assertThat(Wallets.recognise(ProbeIdentity.BITCOIN_LOGIN).orElseThrow().coin())
        .isEqualTo(Coin.BITCOIN);
    assertThat(Wallets.recognise(ProbeIdentity.ETHEREUM_LOGIN).orElseThrow().coin())
        .isEqualTo(Coin.ETHEREUM);
    assertThat(ProbeIdentity.AGENT)
        .isEqualTo(
            "MineWatch-probe/0.1 (+purpose: confirming suspected mining pools for network operators)");
  }

  private static byte[] keccak(String s) {
    return Keccak256.digest(s.getBytes(StandardCharsets.US_ASCII));
  }
}
