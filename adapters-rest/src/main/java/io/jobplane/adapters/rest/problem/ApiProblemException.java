package io.jobplane.adapters.rest.problem;

import io.jobplane.adapters.rest.problem.ProblemDetail.FieldProblem;
import java.util.List;
import java.util.Map;

/** An error the REST layer itself detects, already in problem terms. */
public class ApiProblemException extends RuntimeException {

  private final int status;
  private final String slug;
  private final String title;
  private final List<FieldProblem> errors;
  private final Map<String, String> headers;

  public ApiProblemException(
      int status, String slug, String title, String detail, List<FieldProblem> errors) {
    this(status, slug, title, detail, errors, Map.of());
  }

  public ApiProblemException(
      int status,
      String slug,
      String title,
      String detail,
      List<FieldProblem> errors,
      Map<String, String> headers) {
    super(detail, null, false, false);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.errors = List.copyOf(errors);
    this.headers = Map.copyOf(headers);
  }

  /** 400 for bad query or path parameters. */
  public static ApiProblemException badParameters(List<FieldProblem> errors) {
    String detail =
        errors.size() == 1
            ? errors.get(0).parameter() + ": " + errors.get(0).message()
            : errors.size() + " query parameters are invalid";
    return new ApiProblemException(
        400, Problems.INVALID_ARGUMENT, "Invalid argument", detail, errors);
  }

  public static ApiProblemException payloadTooLarge(long max) {
    return new ApiProblemException(
        413,
        "payload-too-large",
        "Payload too large",
        "the request body exceeds the limit of " + max + " bytes",
        List.of());
  }

  public int status() {
    return status;
  }

  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  public List<FieldProblem> errors() {
    return errors;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
