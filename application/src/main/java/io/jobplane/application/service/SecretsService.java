package io.jobplane.application.service;

import io.jobplane.application.port.in.ManageSecretsUseCase;
import io.jobplane.application.port.out.SecretStore;
import io.jobplane.application.port.out.SecretStore.SecretId;
import io.jobplane.application.port.out.SecretStore.SecretInfo;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.application.security.AccessPolicy;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.SecretCipher;
import io.jobplane.application.security.SecretCipher.Sealed;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.SecretRef;
import io.jobplane.domain.Text;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Seals each value with the server key before the store sees it, so plain values exist only in this
 * call's memory. Access: read access and project visibility first (a project the caller cannot see
 * is reported as a missing secret, whatever it holds), then the right to submit for writes.
 */
public final class SecretsService implements ManageSecretsUseCase {

  private final SecretStore store;
  private final SecretCipher cipher;
  private final TransactionRunner tx;
  private final Clock clock;

  public SecretsService(SecretStore store, SecretCipher cipher, TransactionRunner tx, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Written put(PutSecretCommand c) {
    visible(c.caller(), c.project());
    AccessPolicy.requireSubmitTo(c.caller(), c.project());
    Map<String, Sealed> sealed = new LinkedHashMap<>();
    c.data()
        .values()
        .forEach(
            (key, value) ->
                sealed.put(key, cipher.seal(value, SecretCipher.aad(c.project(), c.name(), key))));
    SecretId id = new SecretId(c.project(), c.name());
    return tx.inTransaction(
        () -> {
          Instant now = Clocks.now(clock);
          if (store.find(id).isEmpty() && store.count(c.project()) >= MAX_SECRETS_PER_PROJECT) {
            throw new DomainException(
                DomainException.Reason.CONFLICT,
                "project '"
                    + c.project()
                    + "' holds "
                    + MAX_SECRETS_PER_PROJECT
                    + " secrets, the most it may; delete one first");
          }
          boolean created = store.put(id, sealed, c.caller().name(), now);
          return new Written(store.find(id).orElseThrow(), created);
        });
  }

  @Override
  public List<SecretInfo> list(Caller caller, String project) {
    visible(caller, project);
    return tx.inTransaction(() -> store.list(project, MAX_SECRETS_PER_PROJECT));
  }

  @Override
  public SecretInfo get(Caller caller, String project, String name) {
    SecretId id = id(caller, project, name);
    return tx.inTransaction(() -> store.find(id)).orElseThrow(SecretsService::notFound);
  }

  @Override
  public void delete(Caller caller, String project, String name) {
    SecretId id = id(caller, project, name);
    AccessPolicy.requireSubmitTo(caller, project);
    if (!tx.inTransaction(() -> store.delete(id))) {
      throw notFound();
    }
  }

  private static SecretId id(Caller caller, String project, String name) {
    visible(caller, project);
    return new SecretId(project, SecretRef.name(name, "name"));
  }

  /** Read access, then visibility: an invisible project looks exactly like an empty one's miss. */
  private static void visible(Caller caller, String project) {
    AccessPolicy.requireRead(caller);
    Text.identifier(project, "project");
    if (!caller.sees(project)) {
      throw notFound();
    }
  }

  private static DomainException notFound() {
    return DomainException.notFound("secret not found");
  }
}
