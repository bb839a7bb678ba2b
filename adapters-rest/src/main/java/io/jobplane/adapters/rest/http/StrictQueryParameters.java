package io.jobplane.adapters.rest.http;

import io.jobplane.adapters.rest.json.WellFormedTextInterceptor;
import io.jobplane.adapters.rest.problem.ApiProblemException;
import io.jobplane.adapters.rest.problem.ProblemDetail.FieldProblem;
import jakarta.annotation.Priority;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.MultivaluedMap;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Refuses query parameters a resource method does not declare with {@link QueryParam}, so a typo
 * like {@code ?stauts=FAILED} is a 400 instead of a silently unfiltered list. Also refuses query
 * and path parameter values holding control characters or unpaired surrogates: no stored text has
 * them, and PostgreSQL refuses a NUL in text outright, which made such a filter a 500.
 *
 * <p>The declared names are read once per resource method, when Jersey builds the application; per
 * request the check is one pass over the characters of each value and a set lookup per name.
 */
public final class StrictQueryParameters implements DynamicFeature {

  @Override
  public void configure(ResourceInfo resourceInfo, FeatureContext context) {
    context.register(new Check(declared(resourceInfo.getResourceMethod().getParameters())));
  }

  static Set<String> declared(Parameter[] parameters) {
    Set<String> names =
        Arrays.stream(parameters)
            .map(p -> p.getAnnotation(QueryParam.class))
            .filter(q -> q != null)
            .map(QueryParam::value)
            .collect(Collectors.toCollection(TreeSet::new));
    // a @BeanParam groups query parameters as fields of its class
    Arrays.stream(parameters)
        .filter(p -> p.isAnnotationPresent(BeanParam.class))
        .flatMap(p -> Arrays.stream(p.getType().getDeclaredFields()))
        .map(f -> f.getAnnotation(QueryParam.class))
        .filter(q -> q != null)
        .forEach(q -> names.add(q.value()));
    return names;
  }

  static void refuseUnstorableText(MultivaluedMap<String, String> parameters, String where) {
    if (parameters.isEmpty()) {
      return;
    }
    for (Map.Entry<String, List<String>> p : parameters.entrySet()) {
      for (String value : p.getValue()) {
        if (!isStorable(value)) {
          String message = "must not contain control characters or unpaired surrogates";
          throw new ApiProblemException(
              400,
              "invalid-argument",
              "Invalid argument",
              where + " parameter " + p.getKey() + " " + message,
              List.of(FieldProblem.parameter(p.getKey(), message)));
        }
      }
    }
  }

  /**
   * No control character (what {@code \p{Cntrl}} matches: U+0000..U+001F and U+007F) and no
   * unpaired surrogate.
   */
  static boolean isStorable(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return false;
      }
    }
    return WellFormedTextInterceptor.isWellFormed(value);
  }

  @Priority(Priorities.USER - 100)
  private static final class Check implements ContainerRequestFilter {
    private final Set<String> allowed;

    Check(Set<String> allowed) {
      this.allowed = Set.copyOf(allowed);
    }

    @Override
    public void filter(ContainerRequestContext request) {
      MultivaluedMap<String, String> query = request.getUriInfo().getQueryParameters();
      refuseUnstorableText(query, "query");
      refuseUnstorableText(request.getUriInfo().getPathParameters(), "path");
      if (allowed.containsAll(query.keySet())) {
        return;
      }
      Set<String> unknown = new TreeSet<>(query.keySet());
      unknown.removeAll(allowed);
      String allowedText = allowed.isEmpty() ? "none" : String.join(", ", new TreeSet<>(allowed));
      List<FieldProblem> errors =
          unknown.stream()
              .map(
                  u ->
                      FieldProblem.parameter(
                          u,
                          "unknown query parameter"
                              + ForeignNames.hint(ForeignNames.parameter(u, allowed))
                              + "; allowed: "
                              + allowedText))
              .toList();
      String detail =
          unknown.size() == 1
              ? "unknown query parameter '"
                  + unknown.iterator().next()
                  + "'"
                  + ForeignNames.hint(ForeignNames.parameter(unknown.iterator().next(), allowed))
              : "unknown query parameters " + String.join(", ", unknown);
      throw new ApiProblemException(400, "invalid-argument", "Invalid argument", detail, errors);
    }
  }
}
