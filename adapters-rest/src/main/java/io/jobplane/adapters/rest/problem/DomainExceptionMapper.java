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

  @Override
  public Response toResponse(DomainException e) {
    Response problem = Problems.response(problem(e, Problems.instance(uriInfo)));
    return switch (e.reason()) {
      case TOO_MANY_REQUESTS, UNAVAILABLE -> retryLater(problem);
      default -> problem;
    };
  }

  /**
   * The problem document of a domain error: the one translation of reasons into HTTP statuses and
   * problem types, for a whole answer or for one refused item of a batch.
   */
  public static ProblemDetail problem(DomainException e, String instance) {
    var errors = e.errors().stream().map(f -> FieldProblem.field(f.field(), f.message())).toList();
    return switch (e.reason()) {
      case INVALID_ARGUMENT ->
          detail(400, Problems.INVALID_ARGUMENT, "Invalid argument", e, instance, errors);
      case NOT_FOUND -> detail(404, "not-found", "Not found", e, instance, errors);
      case ILLEGAL_TRANSITION ->
          detail(409, "illegal-transition", "Illegal transition", e, instance, errors);
      case CONFLICT -> detail(409, "conflict", "Conflict", e, instance, errors);
      case STALE_LEASE -> detail(409, STALE_LEASE, "Stale lease", e, instance, errors);
      case IDEMPOTENCY_MISMATCH ->
          detail(422, "idempotency-mismatch", "Idempotency key reused", e, instance, errors);
      case FORBIDDEN -> detail(403, "forbidden", "Forbidden", e, instance, errors);
      case TOO_MANY_REQUESTS ->
          detail(429, "too-many-requests", "Too many requests", e, instance, errors);
      case UNAVAILABLE -> detail(503, "unavailable", "Service unavailable", e, instance, errors);
    };
  }

  /** Limits are transient: say when to come back instead of letting clients hammer. */
  private static Response retryLater(Response problem) {
    return Response.fromResponse(problem)
        .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
        .build();
  }

  private static ProblemDetail detail(
      int status,
      String slug,
      String title,
      DomainException e,
      String instance,
      java.util.List<FieldProblem> errors) {
    return Problems.detail(status, slug, title, e.getMessage(), instance, errors);
  }
}
