package org.iotbackbone.streamsapp.internal.rest;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.iotbackbone.streamsapp.internal.auth.Caller;
import org.iotbackbone.streamsapp.internal.auth.Scope;

/**
 * A row of the route table: the route, the scope its caller needs (null: open to all, and needs no
 * running app), its handler.
 */
record Endpoint(Route route, Scope scope, Endpoint.Handler handler, Pattern pattern) {

  Endpoint(Route route, Scope scope, Handler handler) {
    this(route, scope, handler, route.pattern());
  }

  /** How a route answers, given the request, its path parameters and its caller. */
  @FunctionalInterface
  interface Handler {
    Reply handle(HttpExchange exchange, Matcher parameters, Caller caller) throws IOException;
  }
}
