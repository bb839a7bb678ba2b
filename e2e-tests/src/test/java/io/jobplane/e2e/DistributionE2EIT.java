package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as a user gets it: {@code app/target/jobplane-<version>.tar.gz} unpacked, its
 * {@code bin/jobplane} launcher called through a symlink on the user's PATH, with the JVM found
 * through JAVA_HOME.
 */
class DistributionE2EIT {

  @TempDir static Path dir;
  static Path launcher;

  @BeforeAll
  static void unpack() throws Exception {
    Path tarball;
    try (Stream<Path> files = Files.list(Path.of("..", "app", "target"))) {
      tarball =
          files
              .filter(f -> f.getFileName().toString().matches("jobplane-.+\\.tar\\.gz"))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("mvn package builds the distribution"));
    }
    Process tar =
        new ProcessBuilder("tar", "xzf", tarball.toAbsolutePath().toString(), "-C", dir.toString())
            .inheritIO()
            .start();
    assertThat(tar.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(tar.exitValue()).isZero();
    Path home;
    try (Stream<Path> unpacked = Files.list(dir)) {
      home = unpacked.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    Path bin = Files.createDirectories(dir.resolve("usr-local-bin"));
    launcher = Files.createSymbolicLink(bin.resolve("jobplane"), home.resolve("bin/jobplane"));
  }

  record Run(int exitCode, String out, String err) {}

  private static Run jobplane(Map<String, String> env, String... args) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(Stream.concat(Stream.of(launcher.toString()), Stream.of(args)).toList());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().put("JOBPLANE_OPTS", "-Xmx128m");
    builder.environment().put("JOBPLANE_CONFIG", dir.resolve("config.yaml").toString());
    builder.environment().putAll(env);
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    return new Run(p.exitValue(), read(out), read(err));
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8).strip();
  }

  @Test
  void theLauncherRunsTheBundledJarThroughASymlink() throws Exception {
    Run version = jobplane(Map.of(), "--version");

    assertThat(version.exitCode()).as(version.toString()).isZero();
    assertThat(version.out()).startsWith("jobplane ");
  }

  @Test
  void theLauncherRunsTheServerAndTheClientCommandsAgainstIt() throws Exception {
    try (JobplaneProcess server = JobplaneProcess.start(dir.resolve("data"))) {
      Map<String, String> env =
          Map.of(
              "JOBPLANE_SERVER",
              server.baseUrl(),
              "JOBPLANE_TOKEN",
              JobplaneProcess.adminToken(dir.resolve("data")));
      Path example = Path.of("..", "examples", "hello.yaml").toAbsolutePath();

      Run submitted = jobplane(env, "submit", "-f", example.toString());
      assertThat(submitted.exitCode()).as(submitted.toString()).isZero();
      Run listed = jobplane(env, "list", "-o", "json");

      assertThat(listed.exitCode()).as(listed.toString()).isZero();
      JsonNode page = Api.JSON.readTree(listed.out());
      assertThat(page.get("items"))
          .extracting(j -> j.get("id").asText())
          .containsExactly(submitted.out());
    }
  }

  @Test
  void withoutJavaTheLauncherSaysWhatIsMissingInOneLine() throws Exception {
    Run r = jobplane(Map.of("JAVA_HOME", dir.resolve("no-such-jdk").toString()), "--version");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo("jobplane: Java 17 or later is needed; set JAVA_HOME or put java on PATH");
    assertThat(List.of(r.out())).containsExactly("");
  }
}
