package org.minewatch.governance.user;

/**
 * A signed-in user or sensor.
 *
 * @param regionCode for a regional officer, the GB/T 2260 code of its region (it sees that region
 *     and everything below it); null otherwise
 * @param unitCode for a unit contact, its unit's unified social credit code; null otherwise
 */
public record User(
    long id, String name, Role role, String regionCode, String unitCode, boolean disabled) {
  /** The process itself: re-checks that reopen cases, the demo loader. */
  public static final User SYSTEM = new User(0, "system", Role.PROVINCE_ADMIN, null, null, false);
}
