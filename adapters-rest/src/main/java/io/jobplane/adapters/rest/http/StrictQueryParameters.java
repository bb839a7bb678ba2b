package io.jobplane.adapters.rest.http;

import io.jobplane.adapters.rest.problem.ApiProblemException;
import io.jobplane.adapters.rest.problem.ProblemDetail.FieldProblem;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Refuses query parameters a resource method does not declare with {@link QueryParam}, so a typo
 * like {@code ?stauts=FAILED} is a 400 instead of a silently unfiltered list.
 */
public final class StrictQueryParameters implements DynamicFeature {

  @Override
  public void configure(ResourceInfo resourceInfo, FeatureContext context) {
    context.register(new Check(declared(resourceInfo.getResourceMethod().getParameters())));
  }

  static Set<String> declared(Parameter[] parameters) {
    return Arrays.stream(parameters)
        .map(p -> p.getAnnotation(QueryParam.class))
        .filter(q -> q != null)
        .map(QueryParam::value)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Priority(Priorities.USER - 100)
  private static final class Check implements ContainerRequestFilter {
    private final Set<String> allowed;

    Check(Set<String> allowed) {
      this.allowed = Set.copyOf(allowed);
    }

    @Override
    public void filter(ContainerRequestContext request) {
      Set<String> unknown = new TreeSet<>(request.getUriInfo().getQueryParameters().keySet());
      unknown.removeAll(allowed);
      if (unknown.isEmpty()) {
        return;
      }
      String allowedText = allowed.isEmpty() ? "none" : String.join(", ", new TreeSet<>(allowed));
      List<FieldProblem> errors =
          unknown.stream()
              .map(
                  u ->
                      FieldProblem.parameter(u, "unknown query parameter; allowed: " + allowedText))
              .toList();
      throw new ApiProblemException(
          400,
          "invalid-argument",
          "Invalid argument",
          "unknown query parameter"
              + (unknown.size() > 1 ? "s " : " ")
              + String.join(", ", unknown),
          errors);
    }
  }
}
