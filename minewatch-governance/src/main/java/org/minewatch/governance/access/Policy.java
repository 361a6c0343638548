package org.minewatch.governance.access;

import org.minewatch.governance.Problem;
import org.minewatch.governance.region.Regions;
import org.minewatch.governance.user.Role;
import org.minewatch.governance.user.User;

/**
 * The one authorisation policy. Every request passes {@link #may(User, Action)} (the role may ask
 * at all) and, when it concerns a case, {@link #may(User, Action, Scope)} (the case lies in the
 * user's region or is its unit's). Nothing else in the system decides who may do what.
 */
public final class Policy {
  private Policy() {}

  /**
   * Where a case (or anything of a case) lies: its region code and its unit's credit code, either
   * may be null.
   */
  public record Scope(String regionCode, String unitCode) {}

  public static boolean may(User user, Action action) {
    return user != null && !user.disabled() && action.roles().contains(user.role());
  }

  public static boolean may(User user, Action action, Scope scope) {
    if (!may(user, action)) {
      return false;
    }
    return switch (user.role()) {
      case REGIONAL_OFFICER ->
          user.regionCode() != null && Regions.within(scope.regionCode(), user.regionCode());
      case UNIT_CONTACT -> user.unitCode() != null && user.unitCode().equals(scope.unitCode());
      default -> true;
    };
  }

  /** The region prefix a user's case lists are limited to, or null for all. */
  public static String regionFilter(User user) {
    return user.role() == Role.REGIONAL_OFFICER ? Regions.prefix(user.regionCode()) : null;
  }

  /** The unit a user's case lists are limited to, or null for all. */
  public static String unitFilter(User user) {
    return user.role() == Role.UNIT_CONTACT ? user.unitCode() : null;
  }

  public static void require(User user, Action action) {
    if (!may(user, action)) {
      throw Problem.forbidden("role " + user.role().label() + " may not " + describe(action));
    }
  }

  public static void require(User user, Action action, Scope scope) {
    if (!may(user, action, scope)) {
      throw Problem.forbidden(
          user.role() == Role.REGIONAL_OFFICER || user.role() == Role.UNIT_CONTACT
              ? "this case is outside "
                  + user.name()
                  + "'s "
                  + (user.role() == Role.UNIT_CONTACT ? "unit" : "region")
              : "role " + user.role().label() + " may not " + describe(action));
    }
  }

  private static String describe(Action a) {
    return a.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }
}
