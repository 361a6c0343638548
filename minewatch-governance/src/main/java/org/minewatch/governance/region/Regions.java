package org.minewatch.governance.region;

/**
 * GB/T 2260 administrative division codes form a hierarchy in their digits: {@code 320000} is
 * Jiangsu, {@code 320100} its city Nanjing, {@code 320102} a district of Nanjing. A region's scope
 * is its code without the trailing pairs of zeros.
 */
public final class Regions {
  private Regions() {}

  public static boolean valid(String code) {
    return code != null
        && code.length() == 6
        && code.charAt(0) >= '1'
        && code.charAt(0) <= '9'
        && code.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /** {@code 320000} → {@code 32}; {@code 320100} → {@code 3201}; {@code 320102} → itself. */
  public static String prefix(String code) {
    if (code.endsWith("0000")) {
      return code.substring(0, 2);
    }
    if (code.endsWith("00")) {
      return code.substring(0, 4);
    }
    return code;
  }

  /**
   * Whether {@code code} lies in the region {@code scope} (itself or below it). A null code lies in
   * no region.
   */
  public static boolean within(String code, String scope) {
    return code != null && code.startsWith(prefix(scope));
  }

  /** The province of a code ({@code 320102} → {@code 320000}). */
  public static String province(String code) {
    return code.substring(0, 2) + "0000";
  }

  /** The city (prefecture) of a code ({@code 320102} → {@code 320100}); a province's code stays. */
  public static String city(String code) {
    return code.endsWith("0000") ? code : code.substring(0, 4) + "00";
  }
}
