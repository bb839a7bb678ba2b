package io.jobplane.adapters.rest.http;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code ?follow=true} on a job's logs asks for the live stream, as {@code Accept:
 * text/event-stream} does: a browser's EventSource or a plain {@code curl} can follow without
 * setting headers. Runs before matching so the stream's method is the one chosen.
 */
@PreMatching
@Priority(Priorities.HEADER_DECORATOR)
public final class FollowQueryFilter implements ContainerRequestFilter {

  @Override
  public void filter(ContainerRequestContext request) {
    List<String> follow = request.getUriInfo().getQueryParameters().get("follow");
    if (follow != null
        && follow.size() == 1
        && "true".equalsIgnoreCase(follow.get(0))
        && request.getUriInfo().getPath().endsWith("/logs")) {
      request.getHeaders().putSingle(HttpHeaders.ACCEPT, MediaType.SERVER_SENT_EVENTS);
    }
  }
}
