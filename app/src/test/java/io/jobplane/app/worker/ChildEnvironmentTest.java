package io.jobplane.app.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChildEnvironmentTest {

  private static final Map<String, String> WORKER =
      Map.of(
          "PATH", "/usr/bin:/bin",
          "HOME", "/home/worker",
          "LANG", "C.UTF-8",
          "WORKER_SECRET", "s3cret",
          "JOBPLANE_TOKEN", "jp_worker-token",
          "SHARED_CACHE", "/var/cache/jobs");

  @Test
  void byDefaultOnlyPathHomeLangAndTzArePassedAndOnlyThoseTheWorkerHas() {
    assertThat(ChildEnvironment.of(WORKER, List.of()).passed())
        .containsOnly(
            Map.entry("PATH", "/usr/bin:/bin"),
            Map.entry("HOME", "/home/worker"),
            Map.entry("LANG", "C.UTF-8"));
  }

  @Test
  void passEnvExtendsTheDefaultRatherThanReplacingIt() {
    assertThat(ChildEnvironment.of(WORKER, List.of("SHARED_CACHE", "NOT_SET")).passed())
        .containsOnlyKeys("PATH", "HOME", "LANG", "SHARED_CACHE");
  }

  @Test
  void theWorkersTokenVariableCannotBePassed() {
    assertThatThrownBy(() -> ChildEnvironment.of(WORKER, List.of("JOBPLANE_TOKEN")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JOBPLANE_TOKEN")
        .hasMessageNotContaining("jp_worker-token");
  }

  @Test
  void aPassEnvThatIsNoVariableNameIsRefused() {
    assertThatThrownBy(() -> ChildEnvironment.of(WORKER, List.of("A=B")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--pass-env");
  }

  @Test
  void settingsNeverShowTheTokenInALog() {
    WorkerSettings settings =
        WorkerSettings.of(
            java.net.URI.create("http://localhost:8080"),
            "jp_worker-token",
            List.of("default"),
            List.of(),
            1,
            30,
            "w",
            "h",
            java.time.Duration.ofSeconds(1),
            java.time.Duration.ofSeconds(30));

    assertThat(settings.toString()).doesNotContain("jp_worker-token");
    assertThat(settings.stopCheckInterval()).isEqualTo(java.time.Duration.ofSeconds(1));
  }
}
