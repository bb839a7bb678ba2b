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
 * <p>It also keeps persistent connections usable and refusals readable. A request answered without
 * its body being read (401, 413, 415, an unknown query parameter, a GET or DELETE that carries a
 * body) leaves the body in the socket; the JDK server drains only 64 KiB of it and then closes the
 * connection, silently for a keep-alive client whose next request then gets no answer, and with a
 * reset for a client still uploading, which loses the answer already sent. The response filter
 * therefore reads and drops what is left of the body, up to {@link #DRAIN_ALLOWANCE} past the
 * limit, before the answer goes out; a body larger still gets {@code Connection: close}.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION + 10)
public final class BodySizeLimitFilter implements ContainerRequestFilter, ContainerResponseFilter {

  /** How much of a refused body is read to answer it cleanly; past this the connection closes. */
  public static final long DRAIN_ALLOWANCE = 16L * 1024 * 1024;

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

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (!drainedWithinAllowance(request)) {
      response.getHeaders().putSingle("Connection", "close");
    }
  }

  /** Reads and drops the unread rest of the body; false when it is too large to drain. */
  private boolean drainedWithinAllowance(ContainerRequestContext request) {
    try {
      InputStream body = request.getEntityStream();
      if (body == null) {
        return true;
      }
      InputStream raw = body instanceof LimitedInputStream limited ? limited.source() : body;
      InputStream bounded = new LimitedInputStream(raw, maxBytes + DRAIN_ALLOWANCE);
      byte[] sink = new byte[8192];
      while (bounded.read(sink) >= 0) {
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

    InputStream source() {
      return in;
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
