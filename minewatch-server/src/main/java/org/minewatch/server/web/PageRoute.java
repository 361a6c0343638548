package org.minewatch.server.web;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.minewatch.governance.access.Action;

/**
 * One page or form target: method, path, the action it needs (null: public) and the handler. The
 * web guard signs the user in from the session cookie, checks the CSRF token of every POST and asks
 * the policy about {@code action} before the handler runs.
 */
public record PageRoute(HandlerType method, String path, Action action, Handler handler) {

  /** Renders or redirects; {@code page} carries the user, words and CSRF token. */
  @FunctionalInterface
  public interface Handler {
    void handle(Context ctx, Page page) throws Exception;
  }
}
