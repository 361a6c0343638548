package org.minewatch.server;

import org.minewatch.governance.Problem;

/** The HTTP status of each kind of refusal, the same for the JSON API and the pages. */
public final class HttpStatuses {
  private HttpStatuses() {}

  public static int of(Problem p) {
    return switch (p.kind()) {
      case INVALID -> 400;
      case UNAUTHENTICATED -> 401;
      case FORBIDDEN -> 403;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case TOO_LARGE -> 413;
      case TOO_MANY -> 429;
    };
  }
}
