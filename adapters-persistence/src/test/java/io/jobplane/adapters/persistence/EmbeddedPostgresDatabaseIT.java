package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresDatabaseIT {

  private Path root;

  @BeforeEach
  void createDirectory() throws IOException {
    root = Files.createTempDirectory("jobplane-embedded-it");
  }

  @AfterEach
  void deleteDirectory() {
    TestDatabase.deleteRecursively(root);
  }

  @Test
  void dataSurvivesAStopAndAStartOnTheSameDirectory() {
    Path data = root.resolve("pgdata");
    JobSnapshot stored;
    try (EmbeddedPostgresDatabase db = EmbeddedPostgresDatabase.start(data);
        PostgresStore store = PostgresStore.open(db.config(2), null)) {
      stored = store.jobRepository().insert(TestJobs.job().restored());
    }
    assertThat(data.resolve("postmaster.pid")).doesNotExist();

    try (EmbeddedPostgresDatabase db = EmbeddedPostgresDatabase.start(data);
        PostgresStore store = PostgresStore.open(db.config(2), null)) {
      assertThat(store.jobRepository().findById(stored.id())).contains(stored);
      assertThat(db.config(2).jdbcUrl()).endsWith("/jobplane");
      assertThat(db.config(2).user()).isEqualTo("jobplane");
    }
  }

  @Test
  void aStalePidFileOfADeadProcessDoesNotPreventAStart() throws Exception {
    Path data = root.resolve("pgdata");
    EmbeddedPostgresDatabase.start(data).close();
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor(10, TimeUnit.SECONDS);
    Files.writeString(data.resolve("postmaster.pid"), gone.pid() + "\n" + data + "\n");

    try (EmbeddedPostgresDatabase db = EmbeddedPostgresDatabase.start(data);
        PostgresStore store = PostgresStore.open(db.config(2), null)) {
      assertThat(store.health().isReachable()).isTrue();
    }
  }

  @Test
  void aServerOrphanedByAKilledJvmIsStoppedAndTheDataIsThereAfterTheNextStart() throws Exception {
    Path data = root.resolve("pgdata");
    JobId id = JobId.random();
    Process child = startChildJvm(data, id);
    try {
      awaitReady(child);
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hook runs, postgres keeps running
      child.waitFor(30, TimeUnit.SECONDS);
    }
    ProcessHandle orphan = EmbeddedPostgresDatabase.livePostmaster(data).orElseThrow();
    assertThat(orphan.isAlive()).isTrue();

    try (EmbeddedPostgresDatabase db = EmbeddedPostgresDatabase.start(data);
        PostgresStore store = PostgresStore.open(db.config(2), null)) {
      assertThat(orphan.isAlive()).isFalse();
      assertThat(store.jobRepository().findById(id)).isPresent();
    }
  }

  private static Process startChildJvm(Path data, JobId id) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return new ProcessBuilder(
            List.of(
                java,
                "-cp",
                classpath,
                OrphanedPostgresMain.class.getName(),
                data.toString(),
                id.toString()))
        .redirectErrorStream(true)
        .start();
  }

  private static void awaitReady(Process child) throws Exception {
    StringBuilder output = new StringBuilder();
    CompletableFuture<Boolean> ready =
        CompletableFuture.supplyAsync(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  output.append(line).append('\n');
                  if (line.equals("READY")) {
                    return true;
                  }
                }
                return false;
              } catch (IOException e) {
                return false;
              }
            });
    assertThat(ready.get(120, TimeUnit.SECONDS)).as("child JVM output:%n%s", output).isTrue();
  }
}
