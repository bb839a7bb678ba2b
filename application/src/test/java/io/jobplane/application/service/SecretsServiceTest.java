package io.jobplane.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.in.ManageSecretsUseCase.PutSecretCommand;
import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.ClaimCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import io.jobplane.application.port.out.SecretStore.SecretInfo;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.security.SecretCipher;
import io.jobplane.application.testing.DirectTransactionRunner;
import io.jobplane.application.testing.InMemoryIdempotencyKeys;
import io.jobplane.application.testing.InMemoryJobRepository;
import io.jobplane.application.testing.InMemorySecretStore;
import io.jobplane.application.testing.InMemoryServices;
import io.jobplane.application.testing.InMemoryTaskRepository;
import io.jobplane.application.testing.InMemoryTelemetryRepository;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.SecretData;
import io.jobplane.domain.SecretRef;
import io.jobplane.domain.TaskStatus;
import io.jobplane.domain.WorkerCommand;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretsServiceTest {

  private static final String VALUE = "correct-horse-battery-staple";

  private final MutableClock clock = MutableClock.fixed();
  private final DirectTransactionRunner tx = new DirectTransactionRunner();
  private final InMemorySecretStore store = new InMemorySecretStore();
  private final SecretCipher cipher = new SecretCipher(SecretCipher.generateKey());
  private final SecretsService secrets = new SecretsService(store, cipher, tx, clock);
  private final InMemoryJobRepository jobs = new InMemoryJobRepository();
  private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(jobs, clock);
  private final InMemoryTelemetryRepository telemetry = new InMemoryTelemetryRepository(jobs);
  private final SubmitJobService submit =
      InMemoryServices.submit(jobs, tasks, new InMemoryIdempotencyKeys(), tx, clock)
          .secrets(store)
          .build();
  private final WorkerProtocolService worker =
      InMemoryServices.workerProtocol(jobs, tasks, telemetry, tx, clock)
          .secrets(store, cipher)
          .build();

  private final Caller payments = new Caller("pay-ci", Set.of(Role.SUBMITTER), Set.of("payments"));
  private final Caller viewer = new Caller("pay-view", Set.of(Role.VIEWER), Set.of("payments"));
  private final Caller outsider = new Caller("etl-ci", Set.of(Role.SUBMITTER), Set.of("etl"));
  private final Caller workerOnly = new Caller("w", Set.of(Role.WORKER), null);

  private SecretInfo put(Caller caller, String name, Map<String, String> data) {
    return secrets
        .put(new PutSecretCommand(caller, "payments", name, new SecretData(data)))
        .secret();
  }

  private static DomainException.Reason reason(Runnable call) {
    try {
      call.run();
    } catch (DomainException e) {
      return e.reason();
    }
    throw new AssertionError("expected a DomainException");
  }

  @Test
  void aSubmitterStoresASecretSealedAndReadsBackOnlyItsKeys() {
    var first =
        secrets.put(
            new PutSecretCommand(
                payments, "payments", "db", new SecretData(Map.of("PASSWORD", VALUE))));
    assertThat(first.created()).isTrue();
    var stored = store.stored("payments", "db").get("PASSWORD");
    assertThat(new String(stored.ciphertext(), java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain(VALUE);
    assertThat(cipher.open(stored, SecretCipher.aad("payments", "db", "PASSWORD")))
        .isEqualTo(VALUE);

    var replaced =
        secrets.put(
            new PutSecretCommand(
                payments, "payments", "db", new SecretData(Map.of("USER", "u", "PASSWORD", "p"))));
    assertThat(replaced.created()).isFalse();
    assertThat(replaced.secret().keys()).containsExactly("PASSWORD", "USER");
    assertThat(secrets.get(viewer, "payments", "db").keys()).containsExactly("PASSWORD", "USER");
    assertThat(secrets.list(viewer, "payments")).extracting(SecretInfo::name).containsExactly("db");
    assertThat(secrets.list(viewer, "payments").toString()).doesNotContain(VALUE);
  }

  @Test
  void readersListButOnlySubmittersWriteAndOtherProjectsLookEmpty() {
    put(payments, "db", Map.of("PASSWORD", VALUE));

    assertThat(reason(() -> put(viewer, "db2", Map.of("K", "v"))))
        .isEqualTo(DomainException.Reason.FORBIDDEN);
    assertThat(reason(() -> secrets.delete(viewer, "payments", "db")))
        .isEqualTo(DomainException.Reason.FORBIDDEN);
    assertThat(reason(() -> secrets.list(workerOnly, "payments")))
        .isEqualTo(DomainException.Reason.FORBIDDEN);
    // another project's caller cannot tell an existing secret from a missing one
    assertThat(reason(() -> secrets.get(outsider, "payments", "db")))
        .isEqualTo(DomainException.Reason.NOT_FOUND);
    assertThat(reason(() -> secrets.get(outsider, "payments", "nope")))
        .isEqualTo(DomainException.Reason.NOT_FOUND);
    assertThat(reason(() -> secrets.list(outsider, "payments")))
        .isEqualTo(DomainException.Reason.NOT_FOUND);
    assertThat(reason(() -> put(outsider, "db", Map.of("K", "v"))))
        .isEqualTo(DomainException.Reason.NOT_FOUND);
    assertThat(reason(() -> secrets.delete(outsider, "payments", "db")))
        .isEqualTo(DomainException.Reason.NOT_FOUND);

    secrets.delete(payments, "payments", "db");
    assertThat(reason(() -> secrets.get(payments, "payments", "db")))
        .isEqualTo(DomainException.Reason.NOT_FOUND);
    assertThat(reason(() -> secrets.delete(payments, "payments", "db")))
        .isEqualTo(DomainException.Reason.NOT_FOUND);
  }

  private JobSnapshot submitReferencing(String secret, String key) {
    return submit
        .submit(
            new SubmitJobCommand(
                payments,
                JobTestData.aJob()
                    .inProject("payments")
                    .withCommand(
                        new WorkerCommand(
                            List.of("sh", "-c", "run"),
                            Map.of("MODE", "fast"),
                            Map.of("DB_PASSWORD", new SecretRef(secret, key))))
                    .definition(),
                false,
                null))
        .job();
  }

  private List<Lease> claim() {
    return worker.claim(
        new ClaimCommand(
            new Caller("w", Set.of(Role.WORKER), null), "w1", "host", null, null, 10, 30));
  }

  @Test
  void aSubmitReferencingAMissingSecretOrKeyNamesTheVariable() {
    put(payments, "db", Map.of("PASSWORD", VALUE));
    assertThatThrownBy(() -> submitReferencing("nope", "PASSWORD"))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(DomainException.Reason.INVALID_ARGUMENT);
              assertThat(e.errors().get(0).field()).isEqualTo("env.DB_PASSWORD");
              assertThat(e.errors().get(0).message()).contains("'nope' does not exist");
            });
    assertThatThrownBy(() -> submitReferencing("db", "USER"))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.errors().get(0).message()).contains("has no key 'USER'"));
    assertThat(jobs.size()).isZero();
  }

  @Test
  void theClaimHandsTheDecryptedValueToTheLeaseHolderOnly() {
    put(payments, "db", Map.of("PASSWORD", VALUE));
    JobSnapshot job = submitReferencing("db", "PASSWORD");

    List<Lease> leases = claim();

    assertThat(leases).hasSize(1);
    assertThat(leases.get(0).env())
        .containsEntry("DB_PASSWORD", VALUE)
        .containsEntry("MODE", "fast");
    assertThat(leases.get(0).toString()).doesNotContain(VALUE);
    JobSnapshot stored = jobs.findById(job.id()).orElseThrow();
    assertThat(stored.toString()).doesNotContain(VALUE);
    assertThat(stored.definition().command().secretEnv())
        .containsEntry("DB_PASSWORD", new SecretRef("db", "PASSWORD"));
    assertThat(jobs.events(job.id()).toString()).doesNotContain(VALUE);
  }

  @Test
  void aSecretDeletedAfterSubmitFailsTheTaskAtClaimWithoutRetry() {
    put(payments, "db", Map.of("PASSWORD", VALUE));
    JobSnapshot job = submitReferencing("db", "PASSWORD");
    secrets.delete(payments, "payments", "db");

    assertThat(claim()).as("nothing to run without its secret").isEmpty();

    JobSnapshot failed = jobs.findById(job.id()).orElseThrow();
    assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
    assertThat(failed.error().reason()).isEqualTo("SECRET_UNAVAILABLE");
    assertThat(failed.error().message()).contains("DB_PASSWORD", "'db'");
    assertThat(tasks.forRun(job.id(), failed.runId()).get(0).status()).isEqualTo(TaskStatus.FAILED);
    assertThat(claim()).as("not retried").isEmpty();
  }
}
