package io.jobplane.app;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jobplane.adapters.k8s.crd.BundledCrds;
import java.io.PrintWriter;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jobplane crds}: the CustomResourceDefinitions this version of Jobplane needs. */
@Command(
    name = "crds",
    mixinStandardHelpOptions = true,
    description =
        "The CustomResourceDefinitions of this version (jobs.jobplane.io,"
            + " jobschedules.jobplane.io), bundled in the jar.",
    subcommands = CrdsCommand.Apply.class)
final class CrdsCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description = {
        "Creates the bundled CRDs the cluster lacks and updates those that differ, printing what"
            + " it did to each, like kubectl. Helm installs the chart's crds/ once and never"
            + " upgrades them: run this before `helm upgrade` (or enable the chart's"
            + " crds.upgradeJob).",
        "Finds the cluster through --kubeconfig, KUBECONFIG, ~/.kube/config or the pod's service"
            + " account. Needs get, create and update on customresourcedefinitions."
      })
  static final class Apply implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--kubeconfig",
        paramLabel = "FILE",
        description = "The kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster).")
    Path kubeconfig;

    @Option(
        names = "--context",
        description = "The kubeconfig context (default: its current-context).")
    String context;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config()).build()) {
        List<BundledCrds.Applied> applied;
        try {
          applied = BundledCrds.apply(client);
        } catch (KubernetesClientException e) {
          throw new IllegalStateException(failure(client.getMasterUrl(), e), e);
        }
        for (BundledCrds.Applied crd : applied) {
          out.println(
              "customresourcedefinition.apiextensions.k8s.io/"
                  + crd.name()
                  + " "
                  + crd.outcome().name().toLowerCase(Locale.ROOT));
        }
      }
      out.flush();
      return 0;
    }

    /** The API server's refusal (403 names the missing permission), or why it was not reached. */
    static String failure(URL server, KubernetesClientException e) {
      if (e.getCode() > 0) {
        String reason = e.getStatus() == null ? null : e.getStatus().getMessage();
        return server + " answered " + e.getCode() + (reason == null ? "" : ": " + reason);
      }
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      return "cannot reach "
          + server
          + ": "
          + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
    }

    private Config config() throws NoSuchFileException {
      if (kubeconfig == null) {
        return Config.autoConfigure(context);
      }
      if (!Files.isRegularFile(kubeconfig)) {
        throw new NoSuchFileException("--kubeconfig " + kubeconfig);
      }
      return Config.fromKubeconfig(context, kubeconfig.toFile());
    }
  }
}
