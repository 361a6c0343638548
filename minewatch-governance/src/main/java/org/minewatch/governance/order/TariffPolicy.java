package org.minewatch.governance.order;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One row of the tariff-policy table.
 *
 * @param regionCode six-digit administrative division code; {@code 000000} for a national rule
 * @param region the region's Chinese name
 * @param regionEn the region's English name (the CSV column is optional; falls back to {@code
 *     region})
 * @param yuanPerKwh the surcharge per kWh; null for {@link PolicyKind#TARIFF_MISUSE}, whose rate
 *     comes from the two tariffs of the case
 * @param source the document the rule comes from, with its number and date
 */
public record TariffPolicy(
    String id,
    String regionCode,
    String region,
    String regionEn,
    PolicyKind kind,
    BigDecimal yuanPerKwh,
    String basisZh,
    String basisEn,
    String source) {

  /** The code of a rule that applies everywhere. */
  public static final String NATIONAL = "000000";

  public TariffPolicy {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(regionCode, "regionCode");
    Objects.requireNonNull(kind, "kind");
    if (kind != PolicyKind.TARIFF_MISUSE && (yuanPerKwh == null || yuanPerKwh.signum() <= 0)) {
      throw new IllegalArgumentException("yuanPerKwh: a surcharge needs a positive rate");
    }
  }

  /** Whether the rule applies in a region: national, or the same province (first two digits). */
  public boolean appliesIn(String unitRegionCode) {
    if (NATIONAL.equals(regionCode)) {
      return true;
    }
    return unitRegionCode != null
        && unitRegionCode.length() >= 2
        && regionCode.length() >= 2
        && unitRegionCode.regionMatches(0, regionCode, 0, 2);
  }
}
