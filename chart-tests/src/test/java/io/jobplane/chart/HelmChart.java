package io.jobplane.chart;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * charts/jobplane rendered by helm-java (Helm's own Go code, no helm binary needed).
 *
 * <p>helm-java's template prints the release manifest only, without the hooks ({@code helm test}
 * Pods, pre-upgrade Jobs) that {@code helm template} adds. So the chart is rendered from a copy
 * whose templates spell the hook annotations differently, which makes Helm treat hooks as plain
 * objects, and the output gets the real annotation names back: every check sees each object Helm
 * would create, hooks included.
 */
final class HelmChart {

  static final Path REPO_ROOT =
      Path.of(System.getProperty("jobplane.repo.root", "..")).toAbsolutePath().normalize();
  static final Path DIRECTORY = REPO_ROOT.resolve("charts/jobplane");
  static final Path TEST_VALUES = REPO_ROOT.resolve("chart-tests/src/test/resources/values");
  static final String RELEASE = "jobplane";
  static final String NAMESPACE = "jobplane-system";

  /** Where jobs run when watchNamespaces is left empty: {@code <release namespace>-jobs}. */
  static final String JOBS_NAMESPACE = NAMESPACE + "-jobs";

  /** Helm's template mode assumes 1.20, older than the chart's kubeVersion; 1.25 is the oldest. */
  static final String KUBE_VERSION = "1.25.0";

  private static final String HOOK_ANNOTATION = "helm.sh/hook";
  private static final String VISIBLE_HOOK_ANNOTATION = "chart-tests.jobplane.io/hook";
  private static final Path HOOKS_VISIBLE =
      REPO_ROOT.resolve("chart-tests/target/chart-with-visible-hooks/jobplane");
  private static boolean copied;

  /** Rendering costs a few hundred milliseconds; every test class looks at the same sets. */
  private static final Map<ValueSet, Manifests> RENDERED = new ConcurrentHashMap<>();

  private HelmChart() {}

  static Helm helm() {
    return new Helm(DIRECTORY);
  }

  static Manifests render(ValueSet values) {
    return RENDERED.computeIfAbsent(values, v -> render(v, Map.of()));
  }

  /** NOTES.txt as {@code helm install} prints it; {@code helm template} leaves it out. */
  static String notes(ValueSet values) {
    HelmLookupCluster.client();
    InstallCommand install =
        helm()
            .install()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION)
            .dryRun()
            .withDryRunOption(DryRun.CLIENT)
            .clientOnly();
    values.file().ifPresent(install::withValuesFile);
    String output = install.call().getOutput();
    int notes = output.indexOf("NOTES:\n");
    if (notes < 0) {
      throw new IllegalStateException("no NOTES in:\n" + output);
    }
    return output.substring(notes + "NOTES:\n".length());
  }

  /** Renders with {@code --set key=value} on top of the value set; fails as helm would. */
  static Manifests render(ValueSet values, Map<String, Object> overrides) {
    return render(values, NAMESPACE, overrides);
  }

  static Manifests render(ValueSet values, String namespace, Map<String, Object> overrides) {
    return render(values, namespace, overrides, KUBE_VERSION);
  }

  /** As a cluster of {@code kubeVersion} would get it (APIs that depend on the version). */
  static Manifests render(
      ValueSet values, String namespace, Map<String, Object> overrides, String kubeVersion) {
    HelmLookupCluster.client();
    TemplateCommand template =
        new Helm(withVisibleHooks())
            .template()
            .withName(RELEASE)
            .withNamespace(namespace)
            .withKubeVersion(kubeVersion);
    values.file().ifPresent(template::withValuesFile);
    overrides.forEach(template::set);
    return Manifests.parse(template.call().replace(VISIBLE_HOOK_ANNOTATION, HOOK_ANNOTATION));
  }

  /** The chart, copied once per test run with the hook annotations renamed. */
  private static synchronized Path withVisibleHooks() {
    if (!copied) {
      try (var files = Files.walk(DIRECTORY)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          Path copy = HOOKS_VISIBLE.resolve(DIRECTORY.relativize(file).toString());
          Files.createDirectories(copy.getParent());
          String text = Files.readString(file);
          Files.writeString(
              copy,
              file.startsWith(DIRECTORY.resolve("templates"))
                  ? text.replace(HOOK_ANNOTATION, VISIBLE_HOOK_ANNOTATION)
                  : text);
        }
        try (var stale = Files.walk(HOOKS_VISIBLE)) {
          for (Path file : stale.filter(Files::isRegularFile).toList()) {
            if (!Files.exists(DIRECTORY.resolve(HOOKS_VISIBLE.relativize(file).toString()))) {
              Files.delete(file);
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      copied = true;
    }
    return HOOKS_VISIBLE;
  }
}
