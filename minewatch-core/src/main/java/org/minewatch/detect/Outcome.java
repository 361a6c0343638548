package org.minewatch.detect;

/** A detector's answer about a flow so far. */
public enum Outcome {
  /** Nothing decided yet; show me more bytes. */
  NEEDS_MORE,
  /** This flow is not my protocol. */
  NOT_THIS,
  /** This flow is my protocol: open a session. */
  DETECTED
}
