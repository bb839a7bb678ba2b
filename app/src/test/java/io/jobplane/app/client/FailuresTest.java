package io.jobplane.app.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.URI;
import org.junit.jupiter.api.Test;

class FailuresTest {

  @Test
  void aProblemBecomesTitleDetailAndTheOffendingField() {
    CliFailure f =
        Failures.fromProblem(
            422,
            "{\"title\":\"Invalid argument\",\"status\":422,\"detail\":\"the job is invalid\","
                + "\"errors\":[{\"field\":\"max_attempts\",\"message\":\"must be at least 1\"}]}",
            null);

    assertThat(f.getMessage())
        .isEqualTo("Invalid argument: the job is invalid (max_attempts: must be at least 1)");
    assertThat(f.exitCode()).isEqualTo(ExitCodes.REJECTED);
  }

  @Test
  void statusesMapToTheirDocumentedCodes() {
    assertThat(Failures.exitCode(401)).isEqualTo(ExitCodes.UNAUTHORIZED);
    assertThat(Failures.exitCode(403)).isEqualTo(ExitCodes.UNAUTHORIZED);
    assertThat(Failures.exitCode(404)).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(Failures.exitCode(409)).isEqualTo(ExitCodes.REJECTED);
    assertThat(Failures.exitCode(503)).isEqualTo(ExitCodes.SERVER_ERROR);
  }

  @Test
  void anAnswerThatIsNotAProblemStillGivesOneLine() {
    CliFailure f = Failures.fromProblem(502, "<html>bad gateway</html>", null);
    assertThat(f.getMessage()).isEqualTo("HTTP 502");
    assertThat(f.exitCode()).isEqualTo(ExitCodes.SERVER_ERROR);
  }

  @Test
  void aRefusedConnectionNamesTheServerAndHowToPointElsewhere() {
    CliFailure f =
        Failures.describe(
            new java.io.IOException(new ConnectException()), URI.create("http://db:8080"));
    assertThat(f.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(f.getMessage())
        .contains("http://db:8080", "connection refused", "--server")
        .doesNotContain("\n");
  }
}
