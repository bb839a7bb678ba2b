package io.jobplane.application.port.in;

import io.jobplane.application.port.out.SecretStore.SecretInfo;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.SecretData;
import io.jobplane.domain.SecretRef;
import io.jobplane.domain.Text;
import java.util.List;
import java.util.Objects;

/**
 * The secrets of a project, which job environments reference. Values go in and never come out
 * through this use case: reads answer names, keys and times. Writing needs the right to submit in
 * the project (or admin); reading names and keys needs read access to it; a project the caller
 * cannot see answers as missing.
 */
public interface ManageSecretsUseCase {

  /** Most secrets one project may hold (and so most a listing answers). */
  int MAX_SECRETS_PER_PROJECT = 1000;

  /** Create or replace the secret {@code name} of {@code project} with {@code data}. */
  record PutSecretCommand(Caller caller, String project, String name, SecretData data) {
    public PutSecretCommand {
      Objects.requireNonNull(caller, "caller");
      Text.identifier(project, "project");
      SecretRef.name(name, "name");
      Objects.requireNonNull(data, "data");
    }
  }

  /** The secret as written, and whether the write created it. */
  record Written(SecretInfo secret, boolean created) {}

  Written put(PutSecretCommand command);

  List<SecretInfo> list(Caller caller, String project);

  SecretInfo get(Caller caller, String project, String name);

  void delete(Caller caller, String project, String name);
}
