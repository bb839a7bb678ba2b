package io.jobplane.application.port.in;

import io.jobplane.application.security.Caller;
import java.util.Optional;

/** Recognises the credentials the operator hands to the pods of a Kubernetes job's run. */
public interface RunCredentialsUseCase {

  /** The caller a presented token stands for, when it is a run credential still on record. */
  Optional<Caller> authenticate(String token);
}
