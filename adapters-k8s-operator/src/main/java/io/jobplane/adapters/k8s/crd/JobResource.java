package io.jobplane.adapters.k8s.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The {@code Job} custom resource ({@code jobplane.io/v1}, short name {@code pj} so it never
 * clashes with {@code batch/v1} Jobs). The spec says what to run; the status mirrors the job in the
 * store (same lifecycle states as the REST API). The status is a subresource: only the operator
 * writes it, through {@code /status}.
 */
@Group(JobResource.GROUP)
@Version(JobResource.VERSION)
@Kind("Job")
@Plural("jobs")
@Singular("job")
@ShortNames("pj")
// kubectl get pj: NAME AGE ATTEMPT PHASE PROGRESS RUN; -o wide adds DURATION and MESSAGE. The CRD
// generator orders the columns by jsonPath, so Age (metadata) comes first.
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Progress",
    jsonPath = ".status.progress",
    type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
    name = "Run",
    jsonPath = ".status.runId",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Attempt",
    jsonPath = ".status.attempt",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Duration",
    jsonPath = ".status.duration",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Message",
    jsonPath = ".status.message",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
public class JobResource extends CustomResource<JobSpec, JobStatus> implements Namespaced {

  public static final String GROUP = "jobplane.io";
  public static final String VERSION = "v1";

  /** The CRD's name, also the stem of the generated file name. */
  public static final String CRD_NAME = "jobs." + GROUP;
}
