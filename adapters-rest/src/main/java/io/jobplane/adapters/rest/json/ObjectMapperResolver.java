package io.jobplane.adapters.rest.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

/** Hands Jersey's Jackson provider the API's {@link ObjectMapper}. */
@Provider
public final class ObjectMapperResolver implements ContextResolver<ObjectMapper> {

  @Override
  public ObjectMapper getContext(Class<?> type) {
    return JsonMapping.mapper();
  }
}
