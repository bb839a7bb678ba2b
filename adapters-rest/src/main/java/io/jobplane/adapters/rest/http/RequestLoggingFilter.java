package io.jobplane.adapters.rest.http;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import java.security.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DEBUG line per request on logger {@code io.jobplane.http}: method, path, status, ms, caller.
 * Below DEBUG it does nothing but ask the logger, on the way in and on the way out: no clock read,
 * no request property, no string.
 */
@PreMatching
@Priority(1)
public final class RequestLoggingFilter implements ContainerRequestFilter, ContainerResponseFilter {

  public static final String LOGGER_NAME = "io.jobplane.http";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);
  private static final String START = RequestLoggingFilter.class.getName() + ".start";

  @Override
  public void filter(ContainerRequestContext request) {
    if (LOG.isDebugEnabled()) {
      request.setProperty(START, System.nanoTime());
    }
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (!LOG.isDebugEnabled()) {
      return;
    }
    Object start = request.getProperty(START);
    long ms = start instanceof Long s ? (System.nanoTime() - s) / 1_000_000 : -1;
    Principal principal =
        request.getSecurityContext() == null
            ? null
            : request.getSecurityContext().getUserPrincipal();
    LOG.debug(
        "{} {} {} {}ms caller={}",
        request.getMethod(),
        request.getUriInfo().getRequestUri().getRawPath(),
        response.getStatus(),
        ms,
        principal == null ? "-" : principal.getName());
  }
}
