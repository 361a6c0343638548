package org.minewatch.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.minewatch.crypto.Keccak256;
import org.minewatch.model.Coin;

/**
 * Recognises wallet addresses in pool logins, by their checksums: Base58Check (Bitcoin, Litecoin,
 * Dogecoin, Dash, Zcash transparent), Bech32/Bech32m segwit (Bitcoin, Litecoin), Monero's Base58
 * with a Keccak-256 checksum (standard, integrated and sub-addresses on every network), and
 * Ethereum's hex addresses with the EIP-55 mixed-case checksum. Anything else is an account.
 */
public final class Wallets {
  private Wallets() {}

  public static Optional<WalletAddress> recognise(String s) {
    if (s == null || s.length() < 26 || s.length() > 110) {
      return Optional.empty();
    }
    WalletAddress w = ethereum(s);
    if (w == null) {
      w = monero(s);
    }
    if (w == null) {
      w = base58Check(s);
    }
    if (w == null) {
      w = segwit(s);
    }
    return Optional.ofNullable(w);
  }

  static WalletAddress ethereum(String s) {
    if (s.length() != 42 || !(s.startsWith("0x") || s.startsWith("0X"))) {
      return null;
    }
    String hex = s.substring(2);
    boolean hasLower = false;
    boolean hasUpper = false;
    for (int i = 0; i < hex.length(); i++) {
      char c = hex.charAt(i);
      if (c >= 'a' && c <= 'f') {
        hasLower = true;
      } else if (c >= 'A' && c <= 'F') {
        hasUpper = true;
      } else if (c < '0' || c > '9') {
        return null;
      }
    }
    if (hasLower && hasUpper) {
      // EIP-55: a letter is upper case where the Keccak-256 of the lower-case address has a nibble
      // >= 8.
      byte[] h = Keccak256.digest(hex.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < 40; i++) {
        char c = hex.charAt(i);
        if (Character.isLetter(c)) {
          int nibble = (i % 2 == 0) ? (h[i / 2] >> 4) & 0xf : h[i / 2] & 0xf;
          if ((nibble >= 8) != Character.isUpperCase(c)) {
            return null;
          }
        }
      }
      return new WalletAddress(s, Coin.ETHEREUM, "account", "mainnet", "eip-55");
    }
    return new WalletAddress(
        s, Coin.ETHEREUM, "account", "mainnet", "hex (no checksum in one case)");
  }

  static WalletAddress monero(String s) {
    if (s.length() != 95 && s.length() != 106) {
      return null;
    }
    byte[] b = Base58.decodeMonero(s);
    if (b == null || b.length < 69) {
      return null;
    }
    // The prefix is a varint; every Monero network's prefixes fit in one or two bytes.
    int prefix;
    int at;
    if ((b[0] & 0x80) == 0) {
      prefix = b[0];
      at = 1;
    } else {
      prefix = (b[0] & 0x7f) | ((b[1] & 0x7f) << 7);
      at = 2;
    }
    String kind;
    String network;
    switch (prefix) {
      case 18 -> {
        kind = "standard";
        network = "mainnet";
      }
      case 19 -> {
        kind = "integrated";
        network = "mainnet";
      }
      case 42 -> {
        kind = "subaddress";
        network = "mainnet";
      }
      case 53 -> {
        kind = "standard";
        network = "testnet";
      }
      case 54 -> {
        kind = "integrated";
        network = "testnet";
      }
      case 63 -> {
        kind = "subaddress";
        network = "testnet";
      }
      case 24 -> {
        kind = "standard";
        network = "stagenet";
      }
      case 25 -> {
        kind = "integrated";
        network = "stagenet";
      }
      case 36 -> {
        kind = "subaddress";
        network = "stagenet";
      }
      default -> {
        return null;
      }
    }
    int bodyLength = at + 64 + (kind.equals("integrated") ? 8 : 0);
    if (b.length != bodyLength + 4) {
      return null;
    }
    byte[] h = Keccak256.digest(b, 0, bodyLength);
    for (int i = 0; i < 4; i++) {
      if (h[i] != b[bodyLength + i]) {
        return null;
      }
    }
    return new WalletAddress(s, Coin.MONERO, kind, network, "keccak-256");
  }

  static WalletAddress base58Check(String s) {
    if (s.length() > 40) {
      return null;
    }
    byte[] b = Base58.decode(s);
    if (b == null || b.length < 5) {
      return null;
    }
    byte[] payload = Arrays.copyOf(b, b.length - 4);
    byte[] h = sha256(sha256(payload));
    for (int i = 0; i < 4; i++) {
      if (h[i] != b[payload.length + i]) {
        return null;
      }
    }
    if (payload.length == 22) {
      int v = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
      return switch (v) {
        case 0x1cb8 ->
            new WalletAddress(s, Coin.ZCASH, "transparent p2pkh", "mainnet", "base58check");
        case 0x1cbd ->
            new WalletAddress(s, Coin.ZCASH, "transparent p2sh", "mainnet", "base58check");
        case 0x1d25 ->
            new WalletAddress(s, Coin.ZCASH, "transparent p2pkh", "testnet", "base58check");
        default -> null;
      };
    }
    if (payload.length != 21) {
      return null;
    }
    return switch (payload[0] & 0xff) {
      case 0x00 -> new WalletAddress(s, Coin.BITCOIN, "p2pkh", "mainnet", "base58check");
      case 0x05 -> new WalletAddress(s, Coin.BITCOIN, "p2sh", "mainnet", "base58check");
      case 0x6f -> new WalletAddress(s, Coin.BITCOIN, "p2pkh", "testnet", "base58check");
      case 0xc4 -> new WalletAddress(s, Coin.BITCOIN, "p2sh", "testnet", "base58check");
      case 0x30 -> new WalletAddress(s, Coin.LITECOIN, "p2pkh", "mainnet", "base58check");
      case 0x32 -> new WalletAddress(s, Coin.LITECOIN, "p2sh", "mainnet", "base58check");
      case 0x1e -> new WalletAddress(s, Coin.DOGECOIN, "p2pkh", "mainnet", "base58check");
      case 0x16 -> new WalletAddress(s, Coin.DOGECOIN, "p2sh", "mainnet", "base58check");
      case 0x4c -> new WalletAddress(s, Coin.DASH, "p2pkh", "mainnet", "base58check");
      case 0x10 -> new WalletAddress(s, Coin.DASH, "p2sh", "mainnet", "base58check");
      default -> null;
    };
  }

  static WalletAddress segwit(String s) {
    Bech32.Segwit w = Bech32.decode(s);
    if (w == null) {
      return null;
    }
    String kind = "segwit-v" + w.version();
    return switch (w.hrp()) {
      case "bc" ->
          new WalletAddress(
              s, Coin.BITCOIN, kind, "mainnet", w.version() == 0 ? "bech32" : "bech32m");
      case "tb" ->
          new WalletAddress(
              s, Coin.BITCOIN, kind, "testnet", w.version() == 0 ? "bech32" : "bech32m");
      case "ltc" ->
          new WalletAddress(
              s, Coin.LITECOIN, kind, "mainnet", w.version() == 0 ? "bech32" : "bech32m");
      default -> null;
    };
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
