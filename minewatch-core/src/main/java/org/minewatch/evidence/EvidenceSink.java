package org.minewatch.evidence;

/** Where detectors put what they see. */
@FunctionalInterface
public interface EvidenceSink {
  void accept(Evidence evidence);
}
