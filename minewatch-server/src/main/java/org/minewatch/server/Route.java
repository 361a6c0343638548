package org.minewatch.server;

import io.javalin.http.HandlerType;
import org.minewatch.governance.access.Action;
import org.minewatch.governance.user.User;

/**
 * One endpoint: method, path, the action it performs (null for the public endpoints) and what it
 * does. The server authenticates and asks the policy about {@code action} before {@code handler}
 * runs, for every route, in one place ({@link ApiServer}).
 */
public record Route(
    HandlerType method, String path, Action action, long maxBody, String summary, Handler handler) {
  public static final long SMALL = 1L << 20;

  /** A handler that receives the signed-in user (null on a public route). */
  @FunctionalInterface
  public interface Handler {
    void handle(io.javalin.http.Context ctx, User user) throws Exception;
  }
}
