package io.jobplane.adapters.rest.resource;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * How a submit made safe to retry by an {@code Idempotency-Key} answers: 201 naming what it
 * created, or 200 marked as the replay of the earlier submit with the same key.
 */
final class Submissions {

  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

  private Submissions() {}

  /**
   * The start of the answer: {@code created} gives 201 with a Location of {@code collection/id}
   * under the API's base path, a replay gives 200 with {@code Idempotent-Replayed: true}.
   */
  static Response.ResponseBuilder answer(
      boolean created, UriInfo uriInfo, String collection, Object id) {
    return created
        ? Locations.created(uriInfo, collection, id.toString())
        : Response.ok().header(IDEMPOTENT_REPLAYED, "true");
  }
}
