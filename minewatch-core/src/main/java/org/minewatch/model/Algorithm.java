package org.minewatch.model;

import java.util.Locale;

/** Proof-of-work algorithms, with the unit their work is counted in. */
public enum Algorithm {
  SHA256D("H/s"),
  SCRYPT("H/s"),
  ETHASH("H/s"),
  KAWPOW("H/s"),
  RANDOMX("H/s"),
  CRYPTONIGHT("H/s"),
  ARGON2("H/s"),
  GHOSTRIDER("H/s"),
  EQUIHASH_200_9("Sol/s"),
  EQUIHASH_144_5("Sol/s");

  private final String unit;
  private final String label = name().toLowerCase(Locale.ROOT).replace('_', '-');

  Algorithm(String unit) {
    this.unit = unit;
  }

  /** "H/s", or "Sol/s" for Equihash, whose work is counted in solutions. */
  public String unit() {
    return unit;
  }

  public String label() {
    return label;
  }

  public static Algorithm fromLabel(String s) {
    for (Algorithm a : values()) {
      if (a.label.equals(s)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown algorithm: " + s);
  }
}
