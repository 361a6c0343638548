package org.minewatch.attribution.assess;

import java.util.List;

/** Whether a unit mines on purpose or was compromised, with the reasons a person can check. */
public record Assessment(Kind kind, List<Reason> details) {
  public enum Kind {
    COMPROMISED,
    DELIBERATE,
    UNDETERMINED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The reasons in English sentences. */
  public List<String> reasons() {
    return details.stream().map(Reason::text).toList();
  }
}
