package io.jobplane.adapters.rest.problem;

import io.jobplane.adapters.rest.problem.ProblemDetail.FieldProblem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/** Builds problem responses; the one place that knows the problem type URIs. */
public final class Problems {

  public static final String TYPE_BASE = "https://jobplane.io/problems/";
  public static final String INVALID_ARGUMENT = "invalid-argument";

  private Problems() {}

  public static Response response(
      int status,
      String slug,
      String title,
      String detail,
      String instance,
      List<FieldProblem> errors) {
    return response(detail(status, slug, title, detail, instance, errors));
  }

  public static Response response(ProblemDetail problem) {
    return Response.status(problem.status()).type(ProblemDetail.MEDIA_TYPE).entity(problem).build();
  }

  /** The problem document itself (a batch answer carries one per refused item). */
  public static ProblemDetail detail(
      int status,
      String slug,
      String title,
      String detail,
      String instance,
      List<FieldProblem> errors) {
    String type = slug == null ? "about:blank" : TYPE_BASE + slug;
    return new ProblemDetail(type, title, status, detail, instance, errors);
  }

  public static Response response(ApiProblemException e, String instance) {
    Response.ResponseBuilder b =
        Response.fromResponse(
            response(e.status(), e.slug(), e.title(), e.getMessage(), instance, e.errors()));
    e.headers().forEach(b::header);
    return b.build();
  }

  /** The request path, or null outside a request. */
  public static String instance(UriInfo uriInfo) {
    try {
      return uriInfo == null ? null : uriInfo.getRequestUri().getRawPath();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * The answer of the {@link ApiProblemException} among {@code t}'s causes, or null when there is
   * none: a problem a body reader or filter raised reaches a mapper wrapped in whatever the library
   * that called it threw, and must still be answered as itself.
   */
  public static Response wrapped(Throwable t, String instance) {
    ApiProblemException problem = cause(t, ApiProblemException.class);
    return problem == null ? null : response(problem, instance);
  }

  /** The first cause of the given type in the chain, or null. */
  public static <T extends Throwable> T cause(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }
}
