package io.jobplane.app;

import io.jobplane.adapters.k8s.operator.OperatorSettings;
import io.jobplane.adapters.k8s.operator.PodPolicy;
import io.jobplane.application.security.AllowedSecrets;
import io.jobplane.application.security.ProjectNamespaces;
import io.jobplane.domain.DomainException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** The operator's options, shared by {@code operator} and {@code serve --with-operator}. */
final class KubernetesOptions {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  @Option(
      names = "--namespaces",
      split = ",",
      description = "Namespaces whose Job resources the operator runs (default: all).")
  List<String> namespaces = List.of();

  @Option(
      names = "--api-url",
      description =
          "URL of the Jobplane API as the job pods reach it; pods then get it with a credential"
              + " for their run (default: none, pods do not report).")
  String apiUrl;

  @Option(
      names = "--leader-election-namespace",
      description =
          "Namespace of the leader election Lease; set it when several operator replicas run"
              + " (default: no leader election).")
  String leaseNamespace;

  @Option(
      names = "--pod-security",
      defaultValue = "restricted",
      description =
          "Policy for pod templates: restricted, baseline or none (default: ${DEFAULT-VALUE}).")
  String podSecurity;

  @Option(
      names = "--denied-namespaces",
      split = ",",
      description =
          "Namespaces where Job resources are rejected (default: kube-system, kube-public,"
              + " kube-node-lease).")
  List<String> deniedNamespaces;

  @Option(
      names = "--protected-secrets",
      split = ",",
      description = "Secrets job pods may not reference, e.g. the database password's.")
  List<String> protectedSecrets = List.of();

  @Option(
      names = "--project-namespaces",
      paramLabel = "PROJECT=NAMESPACE[,NAMESPACE...]",
      description =
          "Namespaces a project's Kubernetes jobs may run in; repeat per project. Once given, a"
              + " project without an entry may use no namespace (default: none given, any"
              + " namespace that is not denied).")
  List<String> projectNamespaces = List.of();

  @Option(
      names = "--allowed-secrets",
      paramLabel = "NAMESPACE=SECRET[,SECRET...]",
      description =
          "Secrets the pod templates of a namespace may reference; repeat per namespace. Once"
              + " given, a namespace without an entry may reference no Secret (default: none"
              + " given, any Secret not in --protected-secrets; not recommended).")
  List<String> allowedSecrets = List.of();

  @Option(
      names = "--job-service-account",
      description = "The service account job pods run as; templates may not choose another.")
  String jobServiceAccount;

  @Option(
      names = "--stuck-pod-seconds",
      defaultValue = "300",
      description =
          "How long a pod may wait on an image pull or a config error before its run fails"
              + " (default: ${DEFAULT-VALUE}).")
  int stuckPodSeconds;

  @Option(
      names = "--routine-events",
      description =
          "Also record the happy path's Normal Events on Job resources (Created, Queued, Running,"
              + " Succeeded): three more API requests per job. Off by default: the status"
              + " conditions and the job's timeline (jobplane events) show the same, and"
              + " warnings and unusual events (Stopping, Admitted, Deleted) are always recorded.")
  boolean routineEvents;

  @Option(
      names = "--kubernetes-server-side-apply",
      defaultValue = "true",
      arity = "1",
      hidden = true,
      description =
          "Patch status with server-side apply (default: ${DEFAULT-VALUE}); false only for API"
              + " servers without it, such as fabric8's mock server in tests and benchmarks.")
  boolean serverSideApply;

  OperatorSettings operatorSettings() {
    PodPolicy.Level level;
    try {
      level = PodPolicy.Level.valueOf(podSecurity.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--pod-security must be restricted, baseline or none, not '" + podSecurity + "'");
    }
    if (stuckPodSeconds < 10 || stuckPodSeconds > 86_400) {
      throw new IllegalArgumentException("--stuck-pod-seconds must be between 10 and 86400");
    }
    for (String ns : namespaces) {
      if (!DNS_LABEL.matcher(ns).matches()) {
        throw new IllegalArgumentException("--namespaces: '" + ns + "' is not a namespace name");
      }
    }
    PodPolicy defaults = PodPolicy.defaults();
    PodPolicy policy =
        new PodPolicy(
            level,
            deniedNamespaces == null ? defaults.deniedNamespaces() : Set.copyOf(deniedNamespaces),
            Set.copyOf(protectedSecrets),
            jobServiceAccount,
            option(
                "--project-namespaces",
                () -> new ProjectNamespaces(keyedLists("--project-namespaces", projectNamespaces))),
            option(
                "--allowed-secrets",
                () -> new AllowedSecrets(keyedLists("--allowed-secrets", allowedSecrets))));
    return new OperatorSettings(
        policy, apiUrl, Duration.ofSeconds(stuckPodSeconds), 100, Clock.systemUTC(), routineEvents);
  }

  /** The records validate the names; their refusal is reported with the option it came from. */
  private static <T> T option(String option, Supplier<T> value) {
    try {
      return value.get();
    } catch (DomainException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@code KEY=V1,V2} entries, one per key; {@code KEY=} gives the key an empty list. A key given
   * twice is refused: two entries in a values file merged silently would hide a typo.
   */
  private static Map<String, Set<String>> keyedLists(String option, List<String> entries) {
    Map<String, Set<String>> lists = new LinkedHashMap<>();
    for (String entry : entries) {
      int equals = entry.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException(
            option + ": '" + entry + "' is not KEY=VALUE[,VALUE...]");
      }
      String key = entry.substring(0, equals).trim();
      Set<String> values = new LinkedHashSet<>();
      for (String value : entry.substring(equals + 1).split(",")) {
        if (!value.isBlank()) {
          values.add(value.trim());
        }
      }
      if (lists.put(key, values) != null) {
        throw new IllegalArgumentException(option + ": '" + key + "' is given twice");
      }
    }
    return lists;
  }

  KubernetesSettings settings(boolean runtime, boolean operator) {
    return new KubernetesSettings(
        runtime,
        operator,
        new LinkedHashSet<>(namespaces),
        leaseNamespace,
        operatorSettings(),
        serverSideApply);
  }
}
