package org.minewatch.model;

/** The conclusion about a host in one role, strongest first. */
public enum Verdict {
  /** A mining protocol was seen. */
  MINING,
  /** The traffic has a mining protocol's shape but its content cannot be read (encrypted). */
  LIKELY,
  /** A blockchain node protocol was seen; not mining in itself. */
  NODE,
  /** Only weaker indicators were seen. */
  SUSPECT;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
