package org.minewatch.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.minewatch.model.Coin;

class WalletsTest {
  private static Optional<WalletAddress> w(String s) {
    return Wallets.recognise(s);
  }

  /** An independent Base58Check encoder, to make addresses of any version for the tests. */
  private static String base58Check(byte[] payload) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] check = sha.digest(sha.digest(payload));
    byte[] all = Arrays.copyOf(payload, payload.length + 4);
    System.arraycopy(check, 0, all, payload.length, 4);
    StringBuilder sb = new StringBuilder();
    BigInteger n = new BigInteger(1, all);
    while (n.signum() > 0) {
      BigInteger[] qr = n.divideAndRemainder(BigInteger.valueOf(58));
      sb.append(Base58.ALPHABET.charAt(qr[1].intValue()));
      n = qr[0];
    }
    for (int i = 0; i < all.length && all[i] == 0; i++) {
      sb.append('1');
    }
    return sb.reverse().toString();
  }

  private static String flip(String s, int i) {
    char c = s.charAt(i);
    char d =
        c == 'z'
            ? 'y'
            : (char) (Character.isDigit(c) ? (c == '9' ? '8' : c + 1) : (c == 'Z' ? 'Y' : c + 1));
    return s.substring(0, i) + d + s.substring(i + 1);
  }

  @Test
  void bitcoinBase58CheckAddresses() {
    assertThat(w("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"))
        .get() // the genesis block's address
        .extracting(WalletAddress::coin, WalletAddress::kind, WalletAddress::check)
        .containsExactly(Coin.BITCOIN, "p2pkh", "base58check");
    assertThat(w("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb")).isEmpty();
  }

  @Test
  void otherBase58CheckChainsByVersionByte() throws Exception {
    byte[] hash = new byte[20];
    for (int i = 0; i < 20; i++) {
      hash[i] = (byte) (i * 7 + 1);
    }
    Object[][] cases = {
      {0x30, Coin.LITECOIN},
      {0x32, Coin.LITECOIN},
      {0x1e, Coin.DOGECOIN},
      {0x4c, Coin.DASH},
      {0x05, Coin.BITCOIN}
    };
    for (Object[] c : cases) {
      byte[] payload = new byte[21];
      payload[0] = (byte) (int) (Integer) c[0];
      System.arraycopy(hash, 0, payload, 1, 20);
      String address = base58Check(payload);
      assertThat(w(address)).as(address).get().extracting(WalletAddress::coin).isEqualTo(c[1]);
      assertThat(w(flip(address, 10))).as("corrupted %s", address).isEmpty();
    }
    byte[] zcash = new byte[22];
    zcash[0] = 0x1c;
    zcash[1] = (byte) 0xb8;
    System.arraycopy(hash, 0, zcash, 2, 20);
    String t1 = base58Check(zcash);
    assertThat(t1).startsWith("t1");
    assertThat(w(t1))
        .get()
        .extracting(WalletAddress::coin, WalletAddress::kind)
        .containsExactly(Coin.ZCASH, "transparent p2pkh");
    assertThat(w(flip(t1, 5))).isEmpty();
  }

  @Test
  void segwitAddressesFromBip173AndBip350() {
    assertThat(w("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"))
        .get()
        .extracting(WalletAddress::coin, WalletAddress::kind, WalletAddress::check)
        .containsExactly(Coin.BITCOIN, "segwit-v0", "bech32");
    assertThat(w("bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y"))
        .get()
        .extracting(WalletAddress::kind, WalletAddress::check)
        .containsExactly("segwit-v1", "bech32m");
    // Corrupted checksum, mixed case, and BIP 173's invalid program length are refused.
    assertThat(w("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5")).isEmpty();
    assertThat(w("bc1qw508d6qejxtdg4y5r3zarvary0c5xW7kv8f3t4")).isEmpty();
    assertThat(w("bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90"))
        .isEmpty();
  }

  @Test
  void moneroAddressesWithTheirKeccakChecksum() {
    String standard =
        "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";
    assertThat(w(standard))
        .get()
        .extracting(WalletAddress::coin, WalletAddress::kind, WalletAddress::network)
        .containsExactly(Coin.MONERO, "standard", "mainnet");
    assertThat(w(flip(standard, 40))).isEmpty();
    assertThat(w(standard.substring(0, 94))).isEmpty();
  }

  @Test
  void ethereumAddressesWithTheEip55ChecksumWhereMixedCase() {
    // Test vectors of EIP-55.
    for (String a :
        new String[] {
          "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
          "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
          "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
          "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"
        }) {
      assertThat(w(a))
          .as(a)
          .get()
          .extracting(WalletAddress::coin, WalletAddress::check)
          .containsExactly(Coin.ETHEREUM, "eip-55");
    }
    assertThat(w("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"))
        .isEmpty(); // last letter's case flipped
    assertThat(w("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"))
        .get()
        .extracting(WalletAddress::check)
        .isEqualTo("hex (no checksum in one case)");
    assertThat(w("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae")).isEmpty();
  }

  @Test
  void loginsThatAreNotAddressesAreAccounts() {
    assertThat(w("campus_miner")).isEmpty();
    assertThat(w("someone@example.com")).isEmpty();
    assertThat(w("x".repeat(95))).isEmpty();
    assertThat(w(null)).isEmpty();
  }
}
