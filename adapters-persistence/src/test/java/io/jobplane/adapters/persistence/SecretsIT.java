package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.application.port.in.ManageSecretsUseCase.PutSecretCommand;
import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.ClaimCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.security.SecretCipher;
import io.jobplane.application.service.SecretsService;
import io.jobplane.application.service.SubmitJobService;
import io.jobplane.application.service.WorkerProtocolService;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.KubernetesPlacement;
import io.jobplane.domain.SecretData;
import io.jobplane.domain.SecretRef;
import io.jobplane.domain.WorkerCommand;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Secrets on the real PostgreSQL: sealed at rest, resolved only into a claim. */
class SecretsIT {

  private static final String VALUE = "pg-password-" + UUID.randomUUID();

  private final PostgresStore store = TestDatabase.store();
  private final MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.MICROS));
  private final SecretCipher cipher = new SecretCipher(SecretCipher.generateKey());
  private final SecretsService secrets =
      new SecretsService(store.secretStore(), cipher, store.transactions(), clock);
  private final String project = "sec-" + UUID.randomUUID().toString().substring(0, 8);
  private final Caller submitter = new Caller("ci", Set.of(Role.SUBMITTER), Set.of(project));

  private void putSecret(Map<String, String> data) {
    secrets.put(new PutSecretCommand(submitter, project, "db", new SecretData(data)));
  }

  /** Every column of every row of the secret tables and of the job tables, as text. */
  private String everythingStored() {
    return query(
        "SELECT t::text FROM secrets t UNION ALL SELECT t::text FROM secret_values t"
            + " UNION ALL SELECT t::text FROM jobs t UNION ALL SELECT t::text FROM job_events t");
  }

  private String query(String sql) {
    List<String> rows = new ArrayList<>();
    try (var c = store.dataSource().getConnection();
        var st = c.createStatement();
        var rs = st.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    return String.join("\n", rows);
  }

  @Test
  void theTablesHoldSealedValuesOnlyAndTheyOpenUnderTheirOwnName() {
    putSecret(Map.of("PASSWORD", VALUE, "USER", "app"));

    String stored = everythingStored();
    assertThat(stored)
        .contains(project)
        .doesNotContain(VALUE)
        .doesNotContain(HexFormat.of().formatHex(VALUE.getBytes(StandardCharsets.UTF_8)))
        .doesNotContain(Base64.getEncoder().encodeToString(VALUE.getBytes(StandardCharsets.UTF_8)));
    var sealed =
        store
            .transactions()
            .inTransaction(
                () ->
                    store
                        .secretStore()
                        .sealedValues(
                            List.of(
                                new io.jobplane.application.port.out.SecretStore.SecretId(
                                    project, "db"))));
    var password = sealed.values().iterator().next().get("PASSWORD");
    assertThat(password.keyId()).isEqualTo(cipher.keyId());
    assertThat(cipher.open(password, SecretCipher.aad(project, "db", "PASSWORD"))).isEqualTo(VALUE);
  }

  @Test
  void aReplacedSecretKeepsItsCreationAndLosesItsOldKeys() {
    putSecret(Map.of("OLD", "x"));
    clock.advance(java.time.Duration.ofSeconds(5));
    var written =
        secrets.put(
            new PutSecretCommand(
                submitter, project, "db", new SecretData(Map.of("PASSWORD", VALUE))));

    assertThat(written.created()).isFalse();
    assertThat(written.secret().keys()).containsExactly("PASSWORD");
    assertThat(written.secret().updatedAt()).isAfter(written.secret().createdAt());
    assertThat(secrets.list(submitter, project)).hasSize(1);
    secrets.delete(submitter, project, "db");
    assertThat(secrets.list(submitter, project)).isEmpty();
    assertThat(everythingStored()).doesNotContain(project + ",db");
  }

  @Test
  void aJobStoresItsReferenceAndOnlyTheClaimCarriesTheValue() {
    putSecret(Map.of("PASSWORD", VALUE));
    SubmitJobService submit =
        StoreServices.submitOn(store).clock(clock).secrets(store.secretStore()).build();

    WorkerProtocolService worker =
        StoreServices.workerProtocolOn(store)
            .clock(clock)
            .random(() -> 0.5)
            .secrets(store.secretStore(), cipher)
            .build();
    String queue = "q-" + project;
    JobSnapshot job =
        submit
            .submit(
                new SubmitJobCommand(
                    submitter,
                    JobTestData.aJob()
                        .inProject(project)
                        .inQueue(queue)
                        .withCommand(
                            new WorkerCommand(
                                List.of("run"),
                                Map.of("MODE", "x"),
                                Map.of("DB_PASSWORD", new SecretRef("db", "PASSWORD"))))
                        .definition(),
                    false,
                    null))
            .job();

    List<Lease> leases =
        worker.claim(
            new ClaimCommand(
                new Caller("w", Set.of(Role.WORKER), null),
                "w1",
                "h",
                List.of(queue),
                null,
                1,
                30));

    assertThat(leases).hasSize(1);
    assertThat(leases.get(0).env()).containsEntry("DB_PASSWORD", VALUE).containsEntry("MODE", "x");
    JobSnapshot reloaded = store.jobRepository().findById(job.id()).orElseThrow();
    assertThat(reloaded.definition().command().secretEnv())
        .containsEntry("DB_PASSWORD", new SecretRef("db", "PASSWORD"));
    assertThat(reloaded.definition().command().env()).containsOnlyKeys("MODE");
    assertThat(query("SELECT env::text FROM jobs WHERE id = '" + job.id() + "'"))
        .isEqualTo(
            "{\"MODE\": \"x\", \"DB_PASSWORD\": {\"key\": \"PASSWORD\", \"secret\": \"db\"}}");
    assertThat(everythingStored()).doesNotContain(VALUE);
  }

  @Test
  void aKubernetesJobKeepsItsSecretReferences() {
    var k8s =
        new KubernetesPlacement(
            "ml", "train-" + project, "{}", Map.of("HF_TOKEN", new SecretRef("hf", "token")));
    var definition =
        io.jobplane.domain.JobDefinition.builder()
            .name("train")
            .type("training")
            .project(project)
            .maxAttempts(1)
            .runtime(io.jobplane.domain.JobRuntime.KUBERNETES)
            .kubernetes(k8s)
            .build();
    JobSnapshot job =
        store
            .transactions()
            .inTransaction(
                () ->
                    store
                        .jobRepository()
                        .insert(
                            io.jobplane.domain.Job.submit(
                                io.jobplane.domain.JobId.random(),
                                definition,
                                "ci",
                                clock.instant(),
                                "test")));
    assertThat(
            store
                .jobRepository()
                .findById(job.id())
                .orElseThrow()
                .definition()
                .kubernetes()
                .secretEnv())
        .containsEntry("HF_TOKEN", new SecretRef("hf", "token"));
  }
}
