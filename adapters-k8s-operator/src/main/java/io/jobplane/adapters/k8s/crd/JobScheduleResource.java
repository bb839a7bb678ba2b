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
 * The {@code JobSchedule} custom resource ({@code jobplane.io/v1}, short name {@code pjs}): a
 * {@code Job} template started on a cron rule, like a CronJob for {@link JobResource}s. The spec is
 * the store's schedule (the same table as {@code /api/v1/schedules}); the API server's schedule
 * loop ticks it; the status shows the store's progress. The status is a subresource: only the
 * operator writes it.
 */
@Group(JobResource.GROUP)
@Version(JobResource.VERSION)
@Kind("JobSchedule")
@Plural("jobschedules")
@Singular("jobschedule")
@ShortNames("pjs")
// kubectl get pjs: NAME AGE SCHEDULE SUSPEND LAST SCHEDULE NEXT RUN (the generator orders the
// columns by jsonPath); -o wide adds MESSAGE
@AdditionalPrinterColumn(
    name = "Schedule",
    jsonPath = ".spec.schedule",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Suspend",
    jsonPath = ".spec.suspend",
    type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(
    name = "Last Schedule",
    jsonPath = ".status.lastScheduledTime",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Next Run",
    jsonPath = ".status.nextRunTime",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Message",
    jsonPath = ".status.message",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
public class JobScheduleResource extends CustomResource<JobScheduleSpec, JobScheduleStatus>
    implements Namespaced {

  /** The CRD's name, also the stem of the generated file name. */
  public static final String CRD_NAME = "jobschedules." + JobResource.GROUP;
}
