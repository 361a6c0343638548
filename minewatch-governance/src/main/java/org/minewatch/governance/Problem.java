package org.minewatch.governance;

/**
 * A request the governance model refuses, with what kind of refusal it is, so an adapter can map it
 * (the server to an HTTP status, the command line to an exit code) without parsing messages.
 */
public final class Problem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a request was refused. */
  public enum Kind {
    INVALID,
    UNAUTHENTICATED,
    FORBIDDEN,
    NOT_FOUND,
    CONFLICT,
    TOO_LARGE,
    TOO_MANY
  }

  private final Kind kind;
  private final String field;
  private final Integer line;

  private Problem(Kind kind, String field, String message) {
    this(kind, field, message, null);
  }

  private Problem(Kind kind, String field, String message, Integer line) {
    super(message);
    this.kind = kind;
    this.field = field;
    this.line = line;
  }

  /** The line of a multi-line request (ingest) that was wrong, or null. */
  public Integer line() {
    return line;
  }

  /** A wrong field on line {@code line} of a request of JSON lines. */
  public static Problem invalidLine(String field, String message, int line) {
    return new Problem(
        Kind.INVALID,
        field,
        (field == null ? "" : field + ": ") + message + " (line " + line + ")",
        line);
  }

  public Kind kind() {
    return kind;
  }

  /** The request field that was wrong, or null. */
  public String field() {
    return field;
  }

  public static Problem invalid(String field, String message) {
    return new Problem(Kind.INVALID, field, field == null ? message : field + ": " + message);
  }

  public static Problem unauthenticated(String message) {
    return new Problem(Kind.UNAUTHENTICATED, null, message);
  }

  public static Problem forbidden(String message) {
    return new Problem(Kind.FORBIDDEN, null, message);
  }

  public static Problem notFound(String message) {
    return new Problem(Kind.NOT_FOUND, null, message);
  }

  public static Problem conflict(String message) {
    return new Problem(Kind.CONFLICT, null, message);
  }

  public static Problem tooLarge(String message) {
    return new Problem(Kind.TOO_LARGE, null, message);
  }

  public static Problem tooMany(String message) {
    return new Problem(Kind.TOO_MANY, null, message);
  }
}
