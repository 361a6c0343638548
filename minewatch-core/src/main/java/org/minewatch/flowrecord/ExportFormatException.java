package org.minewatch.flowrecord;

/**
 * A flow export message (NetFlow, IPFIX) or flow file line that cannot be read, with where and why.
 */
public final class ExportFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What was wrong, coarsely: what a collector counts faults by. */
  public enum Kind {
    NOT_AN_EXPORT("not NetFlow/IPFIX"),
    HEADER("with a bad header"),
    SET("with a bad set"),
    TEMPLATE("with a refused template"),
    RECORD("with a bad data record");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** Words that follow a count of messages: "3 with a bad set". */
    public String label() {
      return label;
    }
  }

  private final Kind kind;

  public ExportFormatException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
