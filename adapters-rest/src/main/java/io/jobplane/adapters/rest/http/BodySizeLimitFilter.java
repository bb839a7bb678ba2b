package io.jobplane.adapters.rest.http;

import io.jobplane.adapters.rest.problem.ApiProblemException;
import io.jobplane.adapters.rest.problem.ProblemDetail.FieldProblem;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Refuses bodies over the limit with 413: at once when Content-Length says so, and while reading
 * when a body without (or with a lying) Content-Length streams past it.
 *
 * <p>It also keeps persistent connections usable. A request answered without its body being read
 * (401, 415, an unknown query parameter, a GET or DELETE that carries a body) leaves the body in
 * the socket; the JDK server drains only 64 KiB of it and then drops the connection silently, so a
 * keep-alive client's next request on it fails with no answer. The response filter therefore reads
 * what is left of a body within the limit, and answers {@code Connection: close} when the body is
 * over the limit and the connection cannot be reused.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION + 10)
public final class BodySizeLimitFilter implements ContainerRequestFilter, ContainerResponseFilter {

  private static final String OVERSIZED = BodySizeLimitFilter.class.getName() + ".oversized";

  private final long maxBytes;

  public BodySizeLimitFilter(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
    if (length != null && !length.isBlank()) {
      long declared;
      try {
        declared = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        throw new ApiProblemException(
            400,
            "invalid-argument",
            "Invalid argument",
            "Content-Length is not a number",
            List.of(FieldProblem.parameter("Content-Length", "must be a number")));
      }
      if (declared > maxBytes) {
        request.setProperty(OVERSIZED, Boolean.TRUE);
        throw ApiProblemException.payloadTooLarge(maxBytes);
      }
    }
    if (request.hasEntity()) {
      request.setEntityStream(new LimitedInputStream(request.getEntityStream(), maxBytes));
    }
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (request.getProperty(OVERSIZED) != null || !drainWithinLimit(request)) {
      response.getHeaders().putSingle("Connection", "close");
    }
  }

  /** Reads and drops the unread rest of the body; false when it runs past the limit. */
  private boolean drainWithinLimit(ContainerRequestContext request) {
    try {
      InputStream body = request.getEntityStream();
      if (body == null) {
        return true;
      }
      if (!(body instanceof LimitedInputStream)) {
        // refused before this filter's request side ran (no or a bad token)
        body = new LimitedInputStream(body, maxBytes);
      }
      byte[] sink = new byte[8192];
      while (body.read(sink) >= 0) {
        // discard
      }
      return true;
    } catch (ApiProblemException tooLarge) {
      return false;
    } catch (IOException | IllegalStateException closed) {
      // already read and closed by the entity reader: the container drained the rest
      return true;
    }
  }

  /** Counts what is read and fails once more than the limit has come through. */
  static final class LimitedInputStream extends FilterInputStream {
    private final long max;
    private long count;

    LimitedInputStream(InputStream in, long max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count(skipped);
      return skipped;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    private void count(long n) {
      count += n;
      if (count > max) {
        throw ApiProblemException.payloadTooLarge(max);
      }
    }
  }
}
