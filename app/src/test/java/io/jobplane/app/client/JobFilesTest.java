package io.jobplane.app.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.client.model.SubmitJobRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobFilesTest {

  @TempDir Path dir;

  @Test
  void theExampleJobReadsIntoASubmitRequestWithItsCommand() {
    SubmitJobRequest hello = JobFiles.read(Path.of("..", "examples", "hello.yaml"));
    assertThat(hello.getName()).isEqualTo("hello");
    assertThat(hello.getCommand()).startsWith("sh", "-c");
    assertThat(hello.getInput()).containsEntry("who", "world");
  }

  @Test
  void jsonIsReadToo() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("job.json"), "{\"name\":\"j\",\"type\":\"t\",\"max_attempts\":3}");
    assertThat(JobFiles.read(file).getMaxAttempts()).isEqualTo(3);
  }

  @Test
  void anUnknownFieldIsAUsageErrorNamingItAndItsLine() throws Exception {
    Path file = Files.writeString(dir.resolve("job.yaml"), "name: j\ntype: t\ncomand: [echo]\n");
    assertThatThrownBy(() -> JobFiles.read(file))
        .isInstanceOfSatisfying(
            CliFailure.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCodes.USAGE))
        .hasMessageContaining("unknown field 'comand' at line 3")
        .hasMessageContaining("command");
  }
}
