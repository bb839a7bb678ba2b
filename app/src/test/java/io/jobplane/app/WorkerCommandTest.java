package io.jobplane.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerCommandTest {

  @TempDir Path dir;

  @Test
  void theTokenFileWinsOverJobplaneToken() throws IOException {
    Path file = Files.writeString(dir.resolve("worker.token"), "jp_from-file\n");

    assertThat(WorkerCommand.token(file, Map.of("JOBPLANE_TOKEN", "jp_from-env")))
        .isEqualTo("jp_from-file");
  }

  @Test
  void withoutATokenFileTheTokenComesFromJobplaneToken() throws IOException {
    assertThat(WorkerCommand.token(null, Map.of("JOBPLANE_TOKEN", " jp_from-env\n")))
        .isEqualTo("jp_from-env");
  }

  @Test
  void noTokenAtAllIsAClearErrorNamingBothSources() {
    assertThatThrownBy(() -> WorkerCommand.token(null, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--token-file")
        .hasMessageContaining("JOBPLANE_TOKEN");
  }

  @Test
  void anEmptyTokenFileIsAnError() throws IOException {
    Path file = Files.writeString(dir.resolve("empty.token"), "\n");

    assertThatThrownBy(() -> WorkerCommand.token(file, Map.of("JOBPLANE_TOKEN", "jp_x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is empty");
  }

  @Test
  void labelsAreCheckedAsTheServerChecksThemBeforeTheWorkerStarts() {
    assertThat(WorkerCommand.labels(Map.of("zone", "eu", "gpu", "a100")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("zone", "eu", "gpu", "a100"));
    assertThat(WorkerCommand.labels(null)).isEmpty();
    assertThatThrownBy(() -> WorkerCommand.labels(Map.of("zone", "not ok")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--label: ")
        .hasMessageContaining("zone");
  }
}
