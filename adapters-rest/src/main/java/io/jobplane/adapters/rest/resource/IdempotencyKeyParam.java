package io.jobplane.adapters.rest.resource;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import jakarta.ws.rs.HeaderParam;

/**
 * The {@code Idempotency-Key} header of a submit, declared and documented once for every submit
 * that takes it (see {@link Submissions}). The field is public because swagger reads a bean
 * parameter's properties as Jackson sees them.
 */
public final class IdempotencyKeyParam {

  @Parameter(
      in = ParameterIn.HEADER,
      description = "makes retries safe: 1 to 255 visible ASCII characters")
  @HeaderParam(Submissions.IDEMPOTENCY_KEY)
  public String value;
}
