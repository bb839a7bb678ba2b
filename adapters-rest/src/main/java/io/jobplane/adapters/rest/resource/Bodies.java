package io.jobplane.adapters.rest.resource;

import io.jobplane.domain.DomainException;

/**
 * The one refusal of a request without a body: Jackson hands a resource null for an empty body (or
 * a JSON null), which every operation that takes one answers with the same 400.
 */
final class Bodies {

  private Bodies() {}

  /** {@code body}, or a 400 naming the body when there is none. */
  static <T> T required(T body) {
    if (body == null) {
      throw missing();
    }
    return body;
  }

  static DomainException missing() {
    return DomainException.invalid("body", "a JSON object is required");
  }
}
