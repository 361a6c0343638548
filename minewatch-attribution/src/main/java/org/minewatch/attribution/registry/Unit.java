package org.minewatch.attribution.registry;

/**
 * A body that holds addresses, as the filing records name it.
 *
 * @param code the unified social credit code, or null where the record has none
 * @param regionCode the GB/T 2260 administrative division code (6 digits), or null
 */
public record Unit(
    String name,
    String code,
    UnitCategory category,
    String regionCode,
    String region,
    String address,
    String contact) {}
