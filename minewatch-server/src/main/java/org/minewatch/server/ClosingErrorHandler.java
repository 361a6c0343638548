package org.minewatch.server;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error pages (a request line or headers too long, a message it could not parse: what
 * never reaches a route) say {@code Connection: close}. Jetty closes such a connection anyway, as
 * the rest of the message cannot be framed, but without the header a client takes the connection as
 * reusable and may send its next request into it; the leftover bytes of the refused message, parsed
 * as a request of their own, would then answer it (seen: a 20,000-character query refused with 414,
 * and the next request answered "505 HTTP/0.9 not supported").
 */
final class ClosingErrorHandler extends ErrorHandler {
  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    return super.handle(request, response, callback);
  }
}
