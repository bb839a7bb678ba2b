package io.jobplane.app.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientOptionsTest {

  @TempDir Path dir;

  private ClientOptions options(Map<String, String> env) {
    ClientOptions o = new ClientOptions();
    o.env = env;
    return o;
  }

  private Path config() {
    return dir.resolve("config.yaml");
  }

  @Test
  void theCurrentContextGivesServerAndTokenFileAndTheEnvironmentOverridesIt() throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("prod.token"), "prod-token\n");
    ClientConfig.empty()
        .withContext("prod", new ClientConfig.Context("https://prod:8443", tokenFile.toString()))
        .write(config());

    Connection fromContext = options(Map.of("JOBPLANE_CONFIG", config().toString())).connection();
    assertThat(fromContext.server()).hasToString("https://prod:8443");
    assertThat(fromContext.token()).isEqualTo("prod-token");

    Connection fromEnv =
        options(
                Map.of(
                    "JOBPLANE_CONFIG", config().toString(),
                    "JOBPLANE_SERVER", "http://other:8080",
                    "JOBPLANE_TOKEN", "env-token"))
            .connection();
    assertThat(fromEnv.server()).hasToString("http://other:8080");
    assertThat(fromEnv.token()).isEqualTo("env-token");
  }

  @Test
  void theConfigFileHoldsTheTokenFilesPathNeverTheToken() throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("t.token"), "secret-token-value");
    ClientConfig.empty()
        .withContext("dev", new ClientConfig.Context("http://dev:8080", tokenFile.toString()))
        .write(config());

    assertThat(Files.readString(config()))
        .contains("current-context: dev", "token-file: " + tokenFile)
        .doesNotContain("secret-token-value");
    assertThat(ClientConfig.read(config()).using("dev").currentContext()).isEqualTo("dev");
  }

  @Test
  void aConnectionNeverShowsItsToken() {
    Connection c =
        options(Map.of("JOBPLANE_CONFIG", config().toString(), "JOBPLANE_TOKEN", "do-not-print"))
            .connection();
    assertThat(c.toString()).doesNotContain("do-not-print");
  }

  @Test
  void theLocalAdminTokenGoesToALocalServerOnlyNeverToAnotherHost() throws Exception {
    Files.createDirectories(dir.resolve(".jobplane"));
    Files.writeString(dir.resolve(".jobplane").resolve("admin.token"), "local-admin");
    ClientOptions local = options(Map.of("JOBPLANE_CONFIG", config().toString()));
    local.workingDirectory = dir;
    assertThat(local.connection().token()).isEqualTo("local-admin");

    ClientOptions remote =
        options(
            Map.of("JOBPLANE_CONFIG", config().toString(), "JOBPLANE_SERVER", "https://prod:8443"));
    remote.workingDirectory = dir;
    assertThat(remote.connection().token()).isNull();
  }

  @Test
  void anUnknownContextIsAUsageError() {
    ClientOptions o = options(Map.of("JOBPLANE_CONFIG", config().toString()));
    o.context = "nope";
    assertThatThrownBy(o::connection)
        .isInstanceOfSatisfying(
            CliFailure.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCodes.USAGE))
        .hasMessageContaining("no context 'nope'");
  }
}
