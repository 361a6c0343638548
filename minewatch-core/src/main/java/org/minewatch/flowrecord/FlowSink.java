package org.minewatch.flowrecord;

/**
 * Receives flow records as a decoder reads them, without an object per record: the view is the
 * decoder's own, overwritten by the next record, so it is valid only during the call ({@link
 * FlowView#toRecord()} keeps one).
 */
@FunctionalInterface
public interface FlowSink {
  void flow(FlowView flow);
}
