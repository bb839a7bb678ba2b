package io.jobplane.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.jobplane.adapters.rest.json.JsonMapping;
import io.jobplane.adapters.rest.problem.ProblemDetail;
import io.jobplane.adapters.rest.problem.Problems;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the container's own errors (malformed request lines and encodings, headers or bodies too
 * large, requests refused while shutting down) as {@code application/problem+json}, like every
 * error the API itself returns. The detail is fixed per status: nothing from the request or the
 * exception is echoed back.
 */
final class ProblemErrorHandler extends ErrorHandler {

  static final String PROBLEM_JSON = ProblemDetail.MEDIA_TYPE;
  private static final ObjectWriter JSON = JsonMapping.mapper().writerFor(ProblemDetail.class);

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status =
        request.getAttribute(ERROR_STATUS) instanceof Integer code ? code : response.getStatus();
    if (HttpStatus.hasNoBody(status)) {
      callback.succeeded();
      return true;
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, PROBLEM_JSON);
    response.getHeaders().put(ERROR_CACHE_CONTROL);
    // The container answers itself only what it could not hand to the API (a malformed request,
    // limits, shutdown), and then it closes the connection: say so, or a keep-alive client sends
    // its next request into a closed socket.
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    response.write(true, ByteBuffer.wrap(body(status)), callback);
    return true;
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, PROBLEM_JSON);
    return ByteBuffer.wrap(body(status));
  }

  static byte[] body(int status) {
    ProblemDetail problem =
        new ProblemDetail(
            Problems.TYPE_BASE + slug(status),
            HttpStatus.getMessage(status),
            status,
            detail(status),
            null,
            List.of());
    try {
      return JSON.writeValueAsBytes(problem);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("problem details are always serializable", e);
    }
  }

  private static String slug(int status) {
    return switch (status) {
      case 400 -> "invalid-argument";
      case 413 -> "payload-too-large";
      case 431 -> "headers-too-large";
      case 503 -> "unavailable";
      case 404 -> "not-found";
      default -> "http-" + status;
    };
  }

  private static String detail(int status) {
    return switch (status) {
      case 400 -> "the request is malformed (request line, header or percent-encoding)";
      case 408 -> "the request was not completed in time";
      case 413 -> "the request body is larger than the server accepts";
      case 414 -> "the request URI is longer than the server accepts";
      case 431 -> "the request headers are larger than the server accepts";
      case 503 -> "the server is shutting down or overloaded; retry shortly";
      case 404 -> "no such resource";
      default -> "the request could not be handled";
    };
  }
}
