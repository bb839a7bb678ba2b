package io.jobplane.adapters.rest.auth;

import io.jobplane.application.security.Caller;
import java.security.Principal;

/** The principal of an authenticated request; resources take the {@link Caller} from it. */
public record CallerPrincipal(Caller caller) implements Principal {

  @Override
  public String getName() {
    return caller.name();
  }
}
