package io.jobplane.adapters.rest.resource;

import io.jobplane.adapters.rest.dto.WorkerDtos.ClaimResponse;
import io.jobplane.adapters.rest.dto.WorkerDtos.LeaseBody;
import io.jobplane.application.port.in.LongPollClaimsUseCase;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import jakarta.ws.rs.container.ConnectionCallback;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.glassfish.jersey.server.AsyncContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@link LeasesResource} answers a claim: at once when {@link LongPollClaimsUseCase} has
 * decided it, otherwise by suspending the request (Jersey's {@link AsyncContext}, the container's
 * async support) so that it holds no thread while it waits, and resuming it with the leases or an
 * empty list.
 */
final class ClaimAnswers {

  // the claim's resource names the log, as before this was split out of it
  private static final Logger log = LoggerFactory.getLogger(LeasesResource.class);

  private ClaimAnswers() {}

  /**
   * The claim's answer, or null once the request is suspended: then the answer goes out when {@code
   * answer} completes. {@code workerId} only names the worker in the log.
   */
  static ClaimResponse answer(
      CompletableFuture<List<Lease>> answer, AsyncContext async, String workerId) {
    if (answer.isDone()) {
      return claimed(answer);
    }
    // Parked: suspend only now, so that claims answered at once never start the container's async
    // machinery (and run on containers without it, like the in-memory test container).
    if (!async.suspend()) {
      answer.cancel(false);
      return answer.isCancelled() ? new ClaimResponse(List.of()) : claimed(answer);
    }
    async.register(
        (ConnectionCallback)
            gone ->
                log.debug("The client of worker {} left before its claim was answered", workerId));
    answer.whenComplete(
        (leases, error) -> {
          if (error == null) {
            async.resume(Response.ok(response(leases), MediaType.APPLICATION_JSON_TYPE).build());
          } else if (!(error instanceof CancellationException)) {
            async.resume(unwrap(error));
          }
        });
    return null; // the answer goes out when the claim is resumed
  }

  private static ClaimResponse claimed(CompletableFuture<List<Lease>> answer) {
    try {
      return response(answer.join());
    } catch (CompletionException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  private static ClaimResponse response(List<Lease> leases) {
    return new ClaimResponse(
        leases.stream()
            .map(l -> LeaseBody.from(l.job(), l.task(), l.checkpoint(), l.env(), l.leaseToken()))
            .toList());
  }
}
