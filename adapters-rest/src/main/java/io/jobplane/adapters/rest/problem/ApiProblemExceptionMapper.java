package io.jobplane.adapters.rest.problem;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

@Provider
public final class ApiProblemExceptionMapper implements ExceptionMapper<ApiProblemException> {

  @Context private UriInfo uriInfo;

  @Override
  public Response toResponse(ApiProblemException e) {
    return Problems.response(e, Problems.instance(uriInfo));
  }
}
