package io.jobplane.adapters.rest.resource;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;

/** The one way a resource answers 201 Created with the Location of what it created. */
final class Locations {

  private Locations() {}

  /**
   * 201 with a Location of the API's base path followed by {@code segments}, each added as {@link
   * UriBuilder#path(String)} adds it. The Location is a path without scheme and host: the Host
   * header is the client's to choose, so a Location built from it would send whoever follows it
   * where the client said.
   */
  static Response.ResponseBuilder created(UriInfo uriInfo, String... segments) {
    UriBuilder location = UriBuilder.fromPath(uriInfo.getBaseUri().getRawPath());
    for (String segment : segments) {
      location.path(segment);
    }
    return Response.created(location.build());
  }
}
