package org.iotbackbone.servers;

/** A server did not become ready. The message names the server and ends with its last log lines. */
public class ServerStartException extends RuntimeException {

  public ServerStartException(String message) {
    super(message);
  }

  public ServerStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
