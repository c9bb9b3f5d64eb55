package org.iotbackbone.streamsapp.internal.rest;

import com.sun.net.httpserver.HttpExchange;

/**
 * What a read needs to be forwarded to the instance that owns its key: the request's path and
 * query, whether it was itself forwarded (then it is answered here or not at all), and the caller's
 * {@code Authorization} header, passed on as it came so that the owner checks the same token (no
 * credential of the instances' own to leak or rotate).
 *
 * @param pathAndQuery the raw path and query
 * @param forwarded whether another instance sent it
 * @param authorization the caller's header, or null
 */
record Forwarding(String pathAndQuery, boolean forwarded, String authorization) {

  static Forwarding of(HttpExchange exchange) {
    return new Forwarding(
        Requests.pathAndQuery(exchange),
        Requests.forwarded(exchange),
        exchange.getRequestHeaders().getFirst("Authorization"));
  }
}
