package org.minewatch.cli.live;

import java.util.List;
import org.minewatch.evidence.Finding;

/** Receives what a {@link LiveSession} reports, beside printing it: e.g. to send it to a server. */
public interface FindingSink {
  /**
   * Findings new or grown stronger since the last call, on the source's thread: must not block for
   * long.
   */
  void reported(List<Finding> findings);

  /**
   * At the stop, after the last {@link #reported}: every finding. May take up to {@link
   * #graceSeconds()}.
   */
  void finished(List<Finding> findings);

  /** How long {@link #finished} may take, so that a stop on a signal waits for it. */
  long graceSeconds();
}
