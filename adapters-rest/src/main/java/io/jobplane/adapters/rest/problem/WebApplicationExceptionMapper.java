package io.jobplane.adapters.rest.problem;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.List;

/** Jersey's own errors (unknown route, wrong method or media type) as problems. */
@Provider
public final class WebApplicationExceptionMapper
    extends UnwrappingProblemMapper<WebApplicationException> {

  @Context private Request request;

  @Override
  Response answer(WebApplicationException e, String instance) {
    Response original = e.getResponse();
    int status = original.getStatus();
    Response.StatusType type = Response.Status.fromStatusCode(status);
    String title =
        type != null ? type.getReasonPhrase() : original.getStatusInfo().getReasonPhrase();
    String detail =
        switch (status) {
          case 404 -> "there is no resource at " + instance;
          case 405 -> "method " + method() + " is not allowed on " + instance;
          case 406 -> "none of the accepted media types can be produced";
          case 415 -> "the request's media type is not supported here; send application/json";
          default -> e.getMessage();
        };
    Response.ResponseBuilder b =
        Response.fromResponse(Problems.response(status, null, title, detail, instance, List.of()));
    for (String header : new String[] {HttpHeaders.ALLOW, HttpHeaders.WWW_AUTHENTICATE}) {
      Object value = original.getHeaders().getFirst(header);
      if (value != null) {
        b.header(header, value);
      }
    }
    return b.build();
  }

  private String method() {
    try {
      return request.getMethod();
    } catch (RuntimeException e) {
      return "this method";
    }
  }
}
