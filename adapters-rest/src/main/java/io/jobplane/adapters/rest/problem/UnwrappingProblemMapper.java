package io.jobplane.adapters.rest.problem;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * A mapper of exceptions that may carry an {@link ApiProblemException} among their causes (a body
 * reader or filter raised it inside a library): that problem is answered as itself, and only
 * otherwise does the subclass translate the exception.
 */
abstract class UnwrappingProblemMapper<E extends Throwable> implements ExceptionMapper<E> {

  @Context private UriInfo uriInfo;

  @Override
  public final Response toResponse(E e) {
    String instance = Problems.instance(uriInfo);
    Response wrapped = Problems.wrapped(e, instance);
    return wrapped != null ? wrapped : answer(e, instance);
  }

  /** The answer to {@code e}, which wraps no problem; {@code instance} is the request path. */
  abstract Response answer(E e, String instance);
}
