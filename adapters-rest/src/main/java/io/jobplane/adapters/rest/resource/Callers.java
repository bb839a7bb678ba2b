package io.jobplane.adapters.rest.resource;

import io.jobplane.adapters.rest.auth.CallerPrincipal;
import io.jobplane.adapters.rest.problem.ApiProblemException;
import io.jobplane.application.security.Caller;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.List;

/** The authenticated caller of a request. */
final class Callers {

  private Callers() {}

  static Caller of(SecurityContext security) {
    Principal principal = security == null ? null : security.getUserPrincipal();
    if (principal instanceof CallerPrincipal cp) {
      return cp.caller();
    }
    throw new ApiProblemException(
        401, "unauthorized", "Unauthorized", "authentication is required", List.of());
  }
}
