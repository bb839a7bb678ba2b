package io.jobplane.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine here, so the image is checked against the build: the jar the Dockerfile copies
 * is the one {@code mvn package} makes (the reactor builds the app module before this one), the
 * entrypoint runs it, and the chart's pods run the image's entrypoint with a subcommand.
 */
class DockerfileTest {

  private static final Path REPO = HelmChart.REPO_ROOT;
  private static final Dockerfile DOCKERFILE = Dockerfile.read(REPO.resolve("Dockerfile"));
  private static final Pattern COPY_FROM_BUILD =
      Pattern.compile("--from=build\\s+(\\S+)\\s+(\\S+)");

  @Test
  void buildsWithMavenThenRunsOnAJreAsANumericNonRootUser() {
    assertThat(DOCKERFILE.stages()).hasSize(2);
    Dockerfile.Stage build = DOCKERFILE.named("build");
    assertThat(build.image()).startsWith("maven:").contains("17");
    assertThat(build.arguments("RUN"))
        .anySatisfy(run -> assertThat(run).contains("mvn ", "-pl app -am", "package"));

    Dockerfile.Stage runtime = DOCKERFILE.last();
    assertThat(runtime.image()).contains("17-jre");
    String user = runtime.last("USER").orElseThrow();
    assertThat(user).matches("\\d+(:\\d+)?");
    assertThat(Integer.parseInt(user.split(":")[0])).isPositive();
    assertThat(user.split(":")[0])
        .isEqualTo(
            String.valueOf(
                HelmChart.render(ValueSet.DEFAULTS)
                    .deployment("api")
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getSecurityContext()
                    .getRunAsUser()));
  }

  @Test
  void theCopiedJarIsTheRunnableJarThatMavenBuilds() throws IOException {
    Matcher copy = copyFromBuild();
    String source = copy.group(1);
    String buildDirectory = DOCKERFILE.named("build").last("WORKDIR").orElseThrow();
    assertThat(source).startsWith(buildDirectory + "/");

    Path jar = REPO.resolve(source.substring(buildDirectory.length() + 1));
    assertThat(jar).isEqualTo(REPO.resolve("app/target/jobplane.jar")).isRegularFile();
    try (JarFile file = new JarFile(jar.toFile())) {
      assertThat(file.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo("io.jobplane.app.JobplaneCli");
    }
  }

  @Test
  void theEntrypointRunsTheCopiedJarAndTheChartOnlyAddsTheSubcommand() {
    String destination = copyFromBuild().group(2);
    List<String> entrypoint =
        Dockerfile.execForm(DOCKERFILE.last().last("ENTRYPOINT").orElseThrow());

    assertThat(entrypoint).containsExactly("java", "-jar", destination);
    Manifests manifests = HelmChart.render(ValueSet.DEFAULTS);
    for (String component : List.of("api", "operator")) {
      var container = Args.container(manifests.deployment(component));
      assertThat(container.getCommand()).as("keeps the image's entrypoint").isNullOrEmpty();
    }
    assertThat(Args.of(manifests.deployment("api")).get(0)).isEqualTo("serve");
    assertThat(Args.of(manifests.deployment("operator")).get(0)).isEqualTo("operator");
  }

  @Test
  void theBuildContextLeavesOutBuildOutputButKeepsEveryModule() throws IOException {
    List<String> ignored =
        Files.readAllLines(REPO.resolve(".dockerignore")).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
    String parentPom = Files.readString(REPO.resolve("pom.xml"));
    List<String> modules =
        Pattern.compile("<module>([^<]+)</module>")
            .matcher(parentPom)
            .results()
            .map(m -> m.group(1))
            .toList();

    assertThat(ignored).contains("**/target/", ".git/");
    assertThat(modules)
        .contains("app")
        .allSatisfy(m -> assertThat(ignored).doesNotContain(m, m + "/"));
  }

  private static Matcher copyFromBuild() {
    List<String> copies = DOCKERFILE.last().arguments("COPY");
    assertThat(copies).hasSize(1);
    Matcher copy = COPY_FROM_BUILD.matcher(copies.get(0));
    assertThat(copy.matches()).as("COPY --from=build <jar> <destination>: %s", copies).isTrue();
    return copy;
  }
}
