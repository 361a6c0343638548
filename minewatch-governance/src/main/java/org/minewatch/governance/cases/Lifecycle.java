package org.minewatch.governance.cases;

import static org.minewatch.governance.cases.CaseState.CLOSED;
import static org.minewatch.governance.cases.CaseState.DETECTED;
import static org.minewatch.governance.cases.CaseState.DISPATCHED;
import static org.minewatch.governance.cases.CaseState.DISPOSED;
import static org.minewatch.governance.cases.CaseState.INSPECTED;
import static org.minewatch.governance.cases.CaseState.OWNERSHIP_VERIFIED;
import static org.minewatch.governance.cases.CaseState.RECHECKED;
import static org.minewatch.governance.cases.CaseState.RECTIFYING;
import static org.minewatch.governance.cases.CaseState.REJECTED;
import static org.minewatch.governance.cases.CaseState.REOPENED;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.minewatch.governance.user.Role;

/**
 * The lifecycle as data: every transition a case may make, who may make it and what it needs. The
 * API, the pages and the tests read this table; nothing else decides whether a transition is
 * allowed. The system's own transition (fresh mining reopens a case under rectification, re-check
 * or closed) is not here: no user makes it.
 */
public final class Lifecycle {
  /** What a transition needs besides the right role and state. */
  public enum Requirement {
    /** Nothing more; a note is kept when given. */
    NONE,
    /** A note saying why (for a rejection: the reason it is a false positive). */
    NOTE,
    /** An inspection record: devices found, deliberate or compromised, notes. */
    INSPECTION,
    /** A rectification deadline (days; the configured default when none is given). */
    DEADLINE,
    /** The configured number of days with no mining from any of the case's hosts. */
    QUIET_DAYS
  }

  /** One allowed transition. */
  public record Transition(
      CaseState from, CaseState to, Set<Role> roles, Requirement requirement) {}

  private static final Set<Role> OFFICERS = EnumSet.of(Role.PROVINCE_ADMIN, Role.REGIONAL_OFFICER);
  private static final List<Transition> TABLE = build();

  private Lifecycle() {}

  private static List<Transition> build() {
    List<Transition> t = new ArrayList<>();
    t.add(new Transition(DETECTED, DISPATCHED, OFFICERS, Requirement.NONE));
    t.add(new Transition(DISPATCHED, OWNERSHIP_VERIFIED, OFFICERS, Requirement.NOTE));
    t.add(new Transition(OWNERSHIP_VERIFIED, INSPECTED, OFFICERS, Requirement.INSPECTION));
    t.add(new Transition(INSPECTED, DISPOSED, OFFICERS, Requirement.NOTE));
    t.add(new Transition(DISPOSED, RECTIFYING, OFFICERS, Requirement.DEADLINE));
    t.add(new Transition(RECTIFYING, RECHECKED, OFFICERS, Requirement.NOTE));
    t.add(new Transition(RECHECKED, CLOSED, OFFICERS, Requirement.QUIET_DAYS));
    for (CaseState s : List.of(DETECTED, DISPATCHED, OWNERSHIP_VERIFIED, INSPECTED, REOPENED)) {
      t.add(new Transition(s, REJECTED, OFFICERS, Requirement.NOTE));
    }
    t.add(new Transition(CLOSED, REOPENED, OFFICERS, Requirement.NOTE));
    t.add(new Transition(REJECTED, REOPENED, OFFICERS, Requirement.NOTE));
    t.add(new Transition(REOPENED, DISPATCHED, OFFICERS, Requirement.NONE));
    t.add(new Transition(REOPENED, INSPECTED, OFFICERS, Requirement.INSPECTION));
    t.add(new Transition(REOPENED, DISPOSED, OFFICERS, Requirement.NOTE));
    t.add(new Transition(REOPENED, RECTIFYING, OFFICERS, Requirement.DEADLINE));
    return List.copyOf(t);
  }

  public static List<Transition> table() {
    return TABLE;
  }

  public static Optional<Transition> find(CaseState from, CaseState to) {
    return TABLE.stream().filter(t -> t.from() == from && t.to() == to).findFirst();
  }

  /** The states a role may move a case to from {@code from}. */
  public static List<CaseState> next(CaseState from, Role role) {
    return TABLE.stream()
        .filter(t -> t.from() == from && t.roles().contains(role))
        .map(Transition::to)
        .toList();
  }
}
