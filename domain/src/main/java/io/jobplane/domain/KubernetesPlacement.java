package io.jobplane.domain;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a Kubernetes job lives in the cluster: the namespace and name of its {@code
 * jobs.jobplane.io} resource, and the pod template it runs (JSON text, kept so the API can show it
 * and create the resource; the REST adapter guarantees it is a JSON object). A resource applied
 * with kubectl keeps its template in the cluster, so it may be absent here. A job submitted without
 * a resource name is named after its id when it is created ({@link Job#submit}).
 *
 * <p>{@code secretEnv} are variables added to every container of the pods that reference a key of a
 * Kubernetes Secret of that name in the namespace: the pod resolves them, the value never passes
 * through Jobplane.
 */
public record KubernetesPlacement(
    String namespace, String resourceName, String podTemplate, Map<String, SecretRef> secretEnv) {

  /** A DNS subdomain, as Kubernetes allows for resource names. */
  public static final int MAX_RESOURCE_NAME = 253;

  public static final int MAX_TEMPLATE_BYTES = 64 * 1024;
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** A placement whose pods reference no secrets through Jobplane. */
  public KubernetesPlacement(String namespace, String resourceName, String podTemplate) {
    this(namespace, resourceName, podTemplate, null);
  }

  public KubernetesPlacement {
    dns(namespace, "kubernetes.namespace", 63, DNS_LABEL, "label");
    if (resourceName != null) {
      dns(resourceName, "kubernetes.name", MAX_RESOURCE_NAME, DNS_SUBDOMAIN, "subdomain");
    }
    if (podTemplate != null
        && podTemplate.getBytes(StandardCharsets.UTF_8).length > MAX_TEMPLATE_BYTES) {
      throw DomainException.invalid(
          "kubernetes.pod_template", "must be at most " + MAX_TEMPLATE_BYTES + " bytes of JSON");
    }
    secretEnv =
        WorkerCommand.secretEnv(secretEnv, "env", java.util.Set.of(), WorkerCommand.MAX_ENV);
  }

  /** The same placement under another resource name. */
  public KubernetesPlacement withResourceName(String name) {
    return new KubernetesPlacement(namespace, name, podTemplate, secretEnv);
  }

  private static void dns(String value, String field, int max, Pattern pattern, String kind) {
    if (value == null || value.isEmpty()) {
      throw DomainException.invalid(field, "is required");
    }
    if (value.length() > max || !pattern.matcher(value).matches()) {
      throw DomainException.invalid(
          field,
          "must be a DNS "
              + kind
              + ": at most "
              + max
              + " lower-case letters, digits and '-'"
              + (kind.equals("label") ? "" : " (and '.')")
              + ", starting and ending with a letter or digit");
    }
  }
}
