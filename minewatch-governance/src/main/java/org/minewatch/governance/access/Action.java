package org.minewatch.governance.access;

import java.util.EnumSet;
import java.util.Set;
import org.minewatch.governance.user.Role;

/**
 * Everything a user can ask for, with the roles that may ask at all. Whether a role may act on a
 * particular case (region, unit) is the second half of {@link Policy}; which transitions a role may
 * make is in the lifecycle table.
 */
public enum Action {
  INGEST(Role.SENSOR, Role.PROVINCE_ADMIN),
  IMPORT_REGISTRY(Role.PROVINCE_ADMIN),
  READ_CASES(
      Role.PROVINCE_ADMIN,
      Role.REGIONAL_OFFICER,
      Role.ENERGY_REGULATOR,
      Role.GRID_COMPANY,
      Role.UNIT_CONTACT,
      Role.AUDITOR),
  /** Which roles may make which transition is the lifecycle's table; here, who may make any. */
  TRANSITION(Role.PROVINCE_ADMIN, Role.REGIONAL_OFFICER),
  /** Self-inspection (自查自纠) and rectification reports. */
  SELF_REPORT(Role.UNIT_CONTACT),
  MANAGE_TASKS(Role.PROVINCE_ADMIN, Role.REGIONAL_OFFICER),
  ISSUE_ORDER(Role.ENERGY_REGULATOR),
  EXECUTE_ORDER(Role.GRID_COMPANY, Role.REGIONAL_OFFICER),
  ACKNOWLEDGE_ALERT(Role.PROVINCE_ADMIN, Role.REGIONAL_OFFICER),
  /** Photos and documents of an inspection, a self-inspection or a rectification. */
  ATTACH(Role.PROVINCE_ADMIN, Role.REGIONAL_OFFICER, Role.UNIT_CONTACT),
  LIST_TIPOFFS(Role.PROVINCE_ADMIN, Role.REGIONAL_OFFICER, Role.AUDITOR),
  /** A tipster's contact details: only those who follow the tip-off up. */
  READ_TIPOFF_CONTACT(Role.PROVINCE_ADMIN, Role.REGIONAL_OFFICER),
  TRIAGE_TIPOFF(Role.PROVINCE_ADMIN, Role.REGIONAL_OFFICER),
  READ_STATS(
      Role.PROVINCE_ADMIN,
      Role.REGIONAL_OFFICER,
      Role.ENERGY_REGULATOR,
      Role.GRID_COMPANY,
      Role.AUDITOR),
  EXPORT(Role.PROVINCE_ADMIN, Role.REGIONAL_OFFICER, Role.ENERGY_REGULATOR, Role.AUDITOR),
  READ_AUDIT(Role.PROVINCE_ADMIN, Role.AUDITOR),
  MANAGE_USERS(Role.PROVINCE_ADMIN),
  /** Sign-out and "who am I": any signed-in user. */
  SESSION(Role.values());

  private final Set<Role> roles;

  Action(Role... roles) {
    this.roles = roles.length == 0 ? EnumSet.noneOf(Role.class) : EnumSet.of(roles[0], roles);
  }

  public Set<Role> roles() {
    return roles;
  }
}
