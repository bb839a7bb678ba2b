package io.jobplane.adapters.rest.problem;

import io.jobplane.adapters.rest.problem.ProblemDetail.FieldProblem;
import io.jobplane.domain.DomainException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** The one translation of domain errors into HTTP. */
@Provider
public final class DomainExceptionMapper implements ExceptionMapper<DomainException> {

  /** Problem type of a refused worker report: the worker must abandon the task. */
  public static final String STALE_LEASE = "stale-lease";

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
    };
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
