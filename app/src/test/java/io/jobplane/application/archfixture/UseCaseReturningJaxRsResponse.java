package io.jobplane.application.archfixture;

import jakarta.ws.rs.core.Response;

/** Deliberately breaks the application rule; only DependencyRulesCatchViolationsTest uses it. */
public class UseCaseReturningJaxRsResponse {
  public Response submit() {
    return Response.ok().build();
  }
}
