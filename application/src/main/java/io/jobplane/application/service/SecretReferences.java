package io.jobplane.application.service;

import io.jobplane.application.port.out.SecretStore;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.SecretRef;
import io.jobplane.domain.WorkerCommand;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The check, at submit, that the secrets a worker job's env references exist. */
final class SecretReferences {

  private final SecretStore secrets;

  SecretReferences(SecretStore secrets) {
    this.secrets = secrets;
  }

  /**
   * Every secret reference of a worker job's env names a key of a secret of the job's project
   * (checked in the submit's transaction; one read). A Kubernetes job's references name Secrets in
   * its namespace, which the cluster resolves, so the store is not asked about them.
   */
  void require(JobDefinition d) {
    WorkerCommand c = d.command();
    if (c == null || !c.referencesSecrets()) {
      return;
    }
    Map<String, Set<String>> keys = new HashMap<>();
    secrets
        .find(d.project(), c.secretEnv().values().stream().map(SecretRef::secret).toList())
        .forEach(info -> keys.put(info.name(), Set.copyOf(info.keys())));
    List<DomainException.FieldError> errors = new ArrayList<>();
    c.secretEnv()
        .forEach(
            (variable, ref) -> {
              Set<String> present = keys.get(ref.secret());
              if (present == null || !present.contains(ref.key())) {
                errors.add(
                    new DomainException.FieldError(
                        "env." + variable,
                        (present == null
                                ? "secret '" + ref.secret() + "' does not exist"
                                : "secret '" + ref.secret() + "' has no key '" + ref.key() + "'")
                            + " in project '"
                            + d.project()
                            + "'"));
              }
            });
    if (!errors.isEmpty()) {
      throw new DomainException(
          DomainException.Reason.INVALID_ARGUMENT,
          "env references secrets that do not exist",
          errors);
    }
  }
}
