package io.jobplane.app.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Jetty's body limit, except that a body refused for its declared Content-Length is read and thrown
 * away after the 413 is written, up to {@link #DRAIN_BYTES} and for at most {@link #DRAIN_TIME}.
 * Jetty on its own closes the connection right after the answer while the client is still sending;
 * the kernel then resets the connection, and the client often loses the 413 it was sent and sees
 * only a broken connection. The bounds keep a hostile client from making the server read an
 * unbounded body: past either one the connection is closed as before. Reading is driven by demand,
 * so a drain holds no thread while it waits for the client.
 */
final class DrainingSizeLimitHandler extends SizeLimitHandler {

  /** Enough for an honest client's oversized upload; a few times the default body limit. */
  static final long DRAIN_BYTES = 8L * 1024 * 1024;

  /** A client on the same network sends {@link #DRAIN_BYTES} well within this. */
  static final Duration DRAIN_TIME = Duration.ofSeconds(5);

  private final long maxBodyBytes;

  DrainingSizeLimitHandler(long maxBodyBytes) {
    super(maxBodyBytes, -1);
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
    if (declared <= maxBodyBytes) {
      return super.handle(request, response, callback); // also limits bodies as they are read
    }
    // Not Response.writeError: it first consumes what has arrived and, finding more to come, ends
    // the body for good, which would leave nothing to drain.
    String reason = "Request body is too large: " + declared + ">" + maxBodyBytes;
    response.setStatus(HttpStatus.PAYLOAD_TOO_LARGE_413);
    request
        .getContext()
        .getErrorHandler()
        .handle(
            new ErrorHandler.ErrorRequest(request, HttpStatus.PAYLOAD_TOO_LARGE_413, reason, null),
            response,
            Callback.from(() -> new Drain(request, callback).start(), callback::failed));
    return true;
  }

  /**
   * Ends the request when the body is all read, or when a bound is reached; in the latter case
   * Jetty finds content left (or a read still waiting) and closes the connection.
   */
  private static final class Drain implements Runnable {
    private final Request request;
    private final Callback callback;
    private final AtomicBoolean ended = new AtomicBoolean();
    private long left = DRAIN_BYTES;
    private volatile Scheduler.Task deadline;

    Drain(Request request, Callback callback) {
      this.request = request;
      this.callback = callback;
    }

    void start() {
      deadline =
          request
              .getComponents()
              .getScheduler()
              .schedule(this::end, DRAIN_TIME.toMillis(), TimeUnit.MILLISECONDS);
      run();
    }

    @Override
    public void run() {
      try {
        while (!ended.get()) {
          Content.Chunk chunk = request.read();
          if (chunk == null) {
            request.demand(this);
            return;
          }
          boolean last = chunk.isLast() || Content.Chunk.isFailure(chunk);
          left -= chunk.remaining();
          chunk.release();
          if (last || left <= 0) {
            end();
            return;
          }
        }
      } catch (RuntimeException requestAlreadyEnded) {
        // the deadline ended the request while this read was under way
        end();
      }
    }

    private void end() {
      if (ended.compareAndSet(false, true)) {
        if (deadline != null) {
          deadline.cancel();
        }
        callback.succeeded();
      }
    }
  }
}
