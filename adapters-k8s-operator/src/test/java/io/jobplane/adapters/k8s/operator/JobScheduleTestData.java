package io.jobplane.adapters.k8s.operator;

import io.jobplane.adapters.k8s.crd.JobScheduleSpec;
import io.jobplane.adapters.k8s.crd.JobTemplate;

/** {@code JobSchedule} specs for tests. */
final class JobScheduleTestData {

  private JobScheduleTestData() {}

  /** A schedule of {@code cron} whose jobs are {@link JobResourceTestData#aJob}'s spec. */
  static JobScheduleSpec aSchedule(String cron) {
    JobTemplate template = new JobTemplate();
    template.setSpec(JobResourceTestData.aJob("template").getSpec());
    JobScheduleSpec spec = new JobScheduleSpec();
    spec.setSchedule(cron);
    spec.setJobTemplate(template);
    return spec;
  }
}
