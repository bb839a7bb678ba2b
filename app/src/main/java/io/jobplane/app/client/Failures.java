package io.jobplane.app.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobplane.client.ApiException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Turns what a client command throws into one human line and an exit code: the problem's title,
 * detail and offending field for an API answer, the server's address for a connection failure.
 */
final class Failures {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Failures() {}

  static CliFailure describe(Throwable t, URI server) {
    if (t instanceof CliFailure f) {
      return f;
    }
    if (t instanceof ApiException api) {
      return api.getCode() == 0
          ? unreachable(api, server)
          : fromProblem(api.getCode(), api.getResponseBody(), api);
    }
    if (isConnectionFailure(t)) {
      return unreachable(t, server);
    }
    return new CliFailure(
        ExitCodes.ERROR,
        t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()),
        t);
  }

  static CliFailure fromProblem(int status, String body, Throwable cause) {
    String line = "HTTP " + status;
    try {
      JsonNode problem = body == null || body.isBlank() ? null : JSON.readTree(body);
      if (problem != null && problem.isObject()) {
        StringBuilder b = new StringBuilder(problem.path("title").asText("HTTP " + status));
        String detail = problem.path("detail").asText("");
        if (!detail.isBlank()) {
          b.append(": ").append(detail);
        }
        JsonNode first = problem.path("errors").path(0);
        String field = first.path("field").asText(first.path("parameter").asText(""));
        if (!field.isBlank()) {
          String message = first.path("message").asText("");
          b.append(" (").append(field);
          if (!message.isBlank() && !detail.contains(message)) {
            b.append(": ").append(message);
          }
          b.append(")");
        }
        line = b.toString();
      }
    } catch (IOException e) {
      // not a problem document: the status alone says what happened
    }
    if (status == 401) {
      line +=
          " (give a token with --token-file, $"
              + ClientOptions.TOKEN_ENV
              + " or a context: jobplane config --help)";
    }
    return new CliFailure(exitCode(status), line, cause);
  }

  static int exitCode(int status) {
    if (status == 401 || status == 403) {
      return ExitCodes.UNAUTHORIZED;
    }
    if (status == 404) {
      return ExitCodes.NOT_FOUND;
    }
    if (status >= 500) {
      return ExitCodes.SERVER_ERROR;
    }
    return status >= 400 ? ExitCodes.REJECTED : ExitCodes.ERROR;
  }

  private static CliFailure unreachable(Throwable t, URI server) {
    return new CliFailure(
        ExitCodes.UNREACHABLE,
        "cannot reach the server at "
            + server
            + " ("
            + rootMessage(t)
            + "); is it running? (--server or $"
            + ClientOptions.SERVER_ENV
            + ")",
        t);
  }

  private static boolean isConnectionFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException
          || c instanceof HttpConnectTimeoutException
          || c instanceof UnresolvedAddressException
          || c instanceof java.net.UnknownHostException) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException) {
        return "connection refused";
      }
    }
    Throwable root = t;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
