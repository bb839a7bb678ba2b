package io.jobplane.adapters.rest.problem;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Anything unforeseen: logged with its stack trace, answered without one. */
@Provider
public final class UnexpectedExceptionMapper extends UnwrappingProblemMapper<Throwable> {

  private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);

  @Override
  Response answer(Throwable e, String instance) {
    LOG.error("unexpected error serving {}", instance, e);
    return Problems.response(
        500,
        null,
        "Internal Server Error",
        "the server could not complete the request; the error has been logged",
        instance,
        List.of());
  }
}
