package org.minewatch.attribution.registry;

/**
 * The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a 31-letter alphabet
 * without I, O, Z, S and V; a registration authority, a unit type, the 6-digit administrative
 * division code (GB/T 2260), the 9-character organisation code, and a check character computed with
 * weights 3^i mod 31.
 */
public final class CreditCode {
  static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  private static final int[] WEIGHTS = {
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
  };

  private CreditCode() {}

  /** Null if the code is valid, else why not. */
  public static String problem(String code) {
    if (code.length() != 18) {
      return "a unified social credit code has 18 characters, \""
          + code
          + "\" has "
          + code.length();
    }
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      int v = ALPHABET.indexOf(code.charAt(i));
      if (v < 0) {
        return "\""
            + code.charAt(i)
            + "\" at position "
            + (i + 1)
            + " of "
            + code
            + " is not in the credit-code alphabet (digits and capitals without I, O, Z, S, V)";
      }
      sum += v * WEIGHTS[i];
    }
    for (int i = 2; i < 8; i++) {
      if (!Character.isDigit(code.charAt(i))) {
        return "positions 3-8 of " + code + " must be the administrative division code (6 digits)";
      }
    }
    char check = ALPHABET.charAt((31 - sum % 31) % 31);
    if (code.charAt(17) != check) {
      return "the check character of " + code + " should be " + check + ", not " + code.charAt(17);
    }
    return null;
  }

  /** The code with its check character computed from the first 17 (for generated demo data). */
  public static String withCheck(String first17) {
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += ALPHABET.indexOf(first17.charAt(i)) * WEIGHTS[i];
    }
    return first17 + ALPHABET.charAt((31 - sum % 31) % 31);
  }
}
