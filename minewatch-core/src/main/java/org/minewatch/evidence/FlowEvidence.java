package org.minewatch.evidence;

import org.minewatch.flow.Flow;

/**
 * Where the packet pipeline puts evidence: what detectors see, and the span of each flow that gave
 * some. The aggregator takes it directly; a parallel scan's workers log it to be replayed in input
 * order.
 */
public interface FlowEvidence extends EvidenceSink {
  /** Adds a finished flow's time span and bytes to the findings its evidence went to. */
  void flowEnded(Flow flow);

  /**
   * Called before a flow's session closes, when the flow leaves its table; {@code flushed} when the
   * input ended rather than the flow.
   */
  default void flowEnding(Flow flow, boolean flushed) {}
}
