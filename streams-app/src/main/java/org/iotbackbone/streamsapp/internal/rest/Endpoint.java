package org.iotbackbone.streamsapp.internal.rest;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.iotbackbone.streamsapp.internal.auth.Caller;
import org.iotbackbone.streamsapp.internal.auth.Scope;

/**
 * A row of the route table: the route, the scope its caller needs (null: open to all, and needs no
 * running app), whether it touches every device (then a token limited to devices is refused), its
 * handler.
 */
record Endpoint(
    Route route, Scope scope, boolean allDevices, Endpoint.Handler handler, Pattern pattern) {

  Endpoint(Route route, Scope scope, Handler handler) {
    this(route, scope, false, handler, route.pattern());
  }

  /** A route about every device, as a job's: not for a token limited to some. */
  static Endpoint allDevices(Route route, Scope scope, Handler handler) {
    return new Endpoint(route, scope, true, handler, route.pattern());
  }

  /** How a route answers, given the request, its path parameters and its caller. */
  @FunctionalInterface
  interface Handler {
    Reply handle(HttpExchange exchange, Matcher parameters, Caller caller) throws IOException;
  }
}
