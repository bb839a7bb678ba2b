package io.jobplane.app.http;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Reads what is left of a request body that the API answered without reading (401, 415, an unknown
 * route or parameter), before the answer is written. Jersey commits its answer before the request
 * ends, and Jetty then finds unread content it cannot skip without blocking, so it closes the
 * connection after the answer without saying so: a keep-alive client's next request on that
 * connection gets no answer (the OpenAPI fuzzer found this). The body is bounded by the container's
 * limit; past it the answer carries {@code Connection: close}.
 */
@Priority(Priorities.USER + 1000)
final class UnreadBodyDrain implements ContainerResponseFilter {

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    InputStream body;
    try {
      if (!request.hasEntity()) {
        return;
      }
      body = request.getEntityStream();
    } catch (IllegalStateException alreadyRead) {
      return; // the entity reader consumed and closed it
    }
    try {
      body.transferTo(OutputStream.nullOutputStream());
    } catch (IOException | RuntimeException tooLargeOrBroken) {
      response.getHeaders().putSingle("Connection", "close");
    }
  }
}
