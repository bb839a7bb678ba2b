package io.jobplane.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every flag the chart passes is one the command in the built jar takes: the jar's own {@code
 * --help} is the reference, so renaming a flag in the code fails here before a cluster sees it.
 */
class ChartCommandLineTest {

  private static final Path JAR = HelmChart.REPO_ROOT.resolve("app/target/jobplane.jar");

  @ParameterizedTest
  @ValueSource(strings = {"api", "operator"})
  void everyFlagTheChartPassesIsOneTheCommandTakes(String component) throws Exception {
    List<String> args = new ArrayList<>();
    for (ValueSet values : ValueSet.all()) {
      args.addAll(Args.of(HelmChart.render(values).deployment(component)));
    }
    args.addAll(
        Args.of(
            HelmChart.render(
                    ValueSet.DEFAULTS,
                    Map.of(
                        "api.metricsPublic",
                        true,
                        "api.rateLimit.perSecond",
                        10,
                        "api.rateLimit.burst",
                        20,
                        "operator.routineEvents",
                        true))
                .deployment(component)));
    String command = args.get(0);

    String help = help(command);

    List<String> unknown =
        args.stream()
            .filter(a -> a.startsWith("--"))
            .distinct()
            .filter(flag -> !listed(help, flag))
            .toList();
    assertThat(args).anyMatch(a -> a.startsWith("--"));
    assertThat(unknown)
        .as("flags the chart passes that `%s --help` does not list", command)
        .isEmpty();
  }

  @Test
  void theCrdUpgradeHookRunsACommandTheJarHas() throws Exception {
    Job job = HelmChart.render(ValueSet.CLOUDNATIVEPG).named(Job.class, "jobplane-crds");
    List<String> args = job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();

    assertThat(args).noneMatch(a -> a.startsWith("-"));
    help(args.toArray(String[]::new));
  }

  private static boolean listed(String help, String flag) {
    return Pattern.compile("(?<![\\w-])" + Pattern.quote(flag) + "(?![\\w-])").matcher(help).find();
  }

  private static String help(String... command) throws IOException, InterruptedException {
    List<String> line =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString()));
    line.addAll(List.of(command));
    line.add("--help");
    Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
    String name = String.join(" ", command);
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("%s --help:%n%s", name, output).isZero();
    assertThat(output).as("the jar has the command %s", name).contains("Usage: jobplane " + name);
    return output;
  }
}
