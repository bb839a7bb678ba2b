package io.jobplane.application.service;

import io.jobplane.application.port.out.SecretStore;
import io.jobplane.application.port.out.SecretStore.SecretId;
import io.jobplane.application.security.SecretCipher;
import io.jobplane.application.security.SecretCipher.Sealed;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.SecretRef;
import io.jobplane.domain.WorkerCommand;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns the environment of leased worker jobs into the plain variables their lease holder runs
 * with: plain values as they are, each secret reference decrypted from the store. This is the only
 * place a stored secret value is decrypted; the result goes into the claim answer and nowhere else
 * (not the job, its events or its logs).
 */
final class SecretEnvResolver {

  /** Why a reference could not be resolved; the failed task carries it (never any value). */
  static final String SECRET_UNAVAILABLE = "SECRET_UNAVAILABLE";

  /** The environment of one job, or why it cannot be had. */
  record Resolved(Map<String, String> env, JobError error) {}

  private final SecretStore store;
  private final SecretCipher cipher;

  SecretEnvResolver(SecretStore store, SecretCipher cipher) {
    this.store = Objects.requireNonNull(store, "store");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
  }

  /** The environments of {@code jobs}, reading every secret they reference in one statement. */
  Map<JobId, Resolved> resolve(Collection<JobSnapshot> jobs) {
    Set<SecretId> wanted = new LinkedHashSet<>();
    for (JobSnapshot job : jobs) {
      WorkerCommand c = job.definition().command();
      if (c != null) {
        c.secretEnv()
            .values()
            .forEach(r -> wanted.add(new SecretId(job.definition().project(), r.secret())));
      }
    }
    Map<SecretId, Map<String, Sealed>> sealed =
        wanted.isEmpty() ? Map.of() : store.sealedValues(List.copyOf(wanted));
    Map<JobId, Resolved> out = new HashMap<>();
    for (JobSnapshot job : jobs) {
      out.put(job.id(), resolve(job, sealed));
    }
    return out;
  }

  private Resolved resolve(JobSnapshot job, Map<SecretId, Map<String, Sealed>> sealed) {
    WorkerCommand c = job.definition().command();
    if (c == null) {
      return new Resolved(null, null);
    }
    Map<String, String> env = new TreeMap<>(c.env());
    String project = job.definition().project();
    for (Map.Entry<String, SecretRef> e : c.secretEnv().entrySet()) {
      SecretRef ref = e.getValue();
      Sealed value =
          sealed.getOrDefault(new SecretId(project, ref.secret()), Map.of()).get(ref.key());
      if (value == null) {
        return unavailable(e.getKey(), ref, "no longer exists in project '" + project + "'");
      }
      try {
        env.put(e.getKey(), cipher.open(value, SecretCipher.aad(project, ref.secret(), ref.key())));
      } catch (SecretCipher.UnreadableSecret unreadable) {
        return unavailable(e.getKey(), ref, "cannot be decrypted with the server key");
      }
    }
    return new Resolved(env, null);
  }

  private static Resolved unavailable(String variable, SecretRef ref, String why) {
    return new Resolved(
        null,
        new JobError(
            SECRET_UNAVAILABLE,
            "env "
                + variable
                + ": key '"
                + ref.key()
                + "' of secret '"
                + ref.secret()
                + "' "
                + why
                + "; the task is not run (put the secret back and restart the job)"));
  }
}
