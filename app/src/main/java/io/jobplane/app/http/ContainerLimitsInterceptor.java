package io.jobplane.app.http;

import io.jobplane.adapters.rest.problem.ApiProblemException;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jetty.http.HttpException;

/**
 * Jetty refuses a body that grows past the limit while it is read (chunked, or longer than its
 * Content-Length claims) by failing the read with an HTTP error. Jersey's JSON reader would wrap
 * that as a malformed body; this translates it into the API's own 413 problem, which the exception
 * mappers find in the cause chain. The limit itself stays the container's.
 */
final class ContainerLimitsInterceptor implements ReaderInterceptor {

  private final long maxBodyBytes;

  ContainerLimitsInterceptor(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
    context.setInputStream(new Translating(context.getInputStream()));
    return context.proceed();
  }

  private final class Translating extends FilterInputStream {
    Translating(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (RuntimeException e) {
        throw translated(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (RuntimeException e) {
        throw translated(e);
      }
    }

    private RuntimeException translated(RuntimeException e) {
      if (e instanceof HttpException http && http.getCode() == 413) {
        return ApiProblemException.payloadTooLarge(maxBodyBytes);
      }
      return e;
    }
  }
}
