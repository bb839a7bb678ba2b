package io.jobplane.app;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Checks that a port can be listened on before anything slow starts: the embedded database takes
 * seconds to start and stop again, and a port taken by another process is the commonest reason a
 * server cannot start.
 */
final class Ports {

  private Ports() {}

  /** A port a server may be told to listen on: 0 (any free port) to 65535. */
  static void requireValid(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be between 0 and 65535");
    }
  }

  /**
   * Binds {@code host:port} and lets go at once, as the HTTP server will bind it (address reuse on,
   * so a port left in TIME_WAIT by a stopped server counts as free). Port 0 picks a free port later
   * and is not checked.
   *
   * @throws IllegalArgumentException "port 8080 is in use (use --port)" when another socket listens
   */
  static void requireFree(String host, int port) throws IOException {
    if (port == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port));
    } catch (BindException e) {
      String why = e.getMessage() == null ? "" : e.getMessage();
      if (why.contains("in use")) {
        throw new IllegalArgumentException("port " + port + " is in use (use --port)", e);
      }
      // e.g. "Cannot assign requested address": --host is not an address of this machine
      throw new IllegalArgumentException(
          "cannot listen on " + host + ":" + port + " (" + why + "; check --host)", e);
    }
  }
}
