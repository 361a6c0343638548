package org.minewatch.flowrecord;

/** A flow export message (NetFlow, IPFIX) or flow file line that cannot be read, with where and why. */
public final class ExportFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  public ExportFormatException(String message) {
    super(message);
  }
}
