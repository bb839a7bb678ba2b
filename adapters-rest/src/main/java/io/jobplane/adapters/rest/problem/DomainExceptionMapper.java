package io.jobplane.adapters.rest.problem;

import io.jobplane.adapters.rest.problem.ProblemDetail.FieldProblem;
import io.jobplane.domain.DomainException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** The one translation of domain errors into HTTP. */
@Provider
public final class DomainExceptionMapper implements ExceptionMapper<DomainException> {

  /** Problem type of a refused worker report: the worker must abandon the task. */
  public static final String STALE_LEASE = "stale-lease";

  /** Seconds a client is asked to wait after hitting a limit. */
  static final int RETRY_AFTER_SECONDS = 5;

  @Context private UriInfo uriInfo;

  private static boolean isStaleLease(DomainException e) {
    return e.getMessage() != null && e.getMessage().startsWith("stale lease");
  }

  @Override
  public Response toResponse(DomainException e) {
    var errors = e.errors().stream().map(f -> FieldProblem.field(f.field(), f.message())).toList();
    return switch (e.reason()) {
      case INVALID_ARGUMENT ->
          problem(400, Problems.INVALID_ARGUMENT, "Invalid argument", e, errors);
      case NOT_FOUND -> problem(404, "not-found", "Not found", e, errors);
      case ILLEGAL_TRANSITION ->
          problem(409, "illegal-transition", "Illegal transition", e, errors);
      case CONFLICT ->
          isStaleLease(e)
              ? problem(409, STALE_LEASE, "Stale lease", e, errors)
              : problem(409, "conflict", "Conflict", e, errors);
      case IDEMPOTENCY_MISMATCH ->
          problem(422, "idempotency-mismatch", "Idempotency key reused", e, errors);
      case FORBIDDEN -> problem(403, "forbidden", "Forbidden", e, errors);
      case TOO_MANY_REQUESTS ->
          retryLater(problem(429, "too-many-requests", "Too many requests", e, errors));
      case UNAVAILABLE -> retryLater(problem(503, "unavailable", "Service unavailable", e, errors));
    };
  }

  /** Limits are transient: say when to come back instead of letting clients hammer. */
  private static Response retryLater(Response problem) {
    return Response.fromResponse(problem)
        .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
        .build();
  }

  private Response problem(
      int status,
      String slug,
      String title,
      DomainException e,
      java.util.List<FieldProblem> errors) {
    return Problems.response(
        status, slug, title, e.getMessage(), Problems.instance(uriInfo), errors);
  }
}
