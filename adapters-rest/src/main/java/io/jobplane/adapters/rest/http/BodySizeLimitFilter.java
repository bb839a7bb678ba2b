package io.jobplane.adapters.rest.http;

import io.jobplane.adapters.rest.problem.ApiProblemException;
import io.jobplane.adapters.rest.problem.ProblemDetail.FieldProblem;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Refuses bodies over the limit with 413: at once when Content-Length says so, and while reading
 * when a body without (or with a lying) Content-Length streams past it.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION + 10)
public final class BodySizeLimitFilter implements ContainerRequestFilter {

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
        throw ApiProblemException.payloadTooLarge(maxBytes);
      }
    }
    if (request.hasEntity()) {
      request.setEntityStream(new LimitedInputStream(request.getEntityStream(), maxBytes));
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
