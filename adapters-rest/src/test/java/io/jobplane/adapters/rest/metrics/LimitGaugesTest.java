package io.jobplane.adapters.rest.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.application.port.in.ProjectLimitsUseCase;
import io.jobplane.application.security.Caller;
import io.jobplane.application.service.ProjectLimitsService;
import io.jobplane.application.testing.DirectTransactionRunner;
import io.jobplane.application.testing.InMemoryJobRepository;
import io.jobplane.application.testing.InMemoryProjectLimitsStore;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.ProjectLimits;
import io.jobplane.domain.ProjectLimits.QueueLimits;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class LimitGaugesTest {

  private final InMemoryJobRepository jobs = new InMemoryJobRepository();
  private final ProjectLimitsService service =
      new ProjectLimitsService(
          new InMemoryProjectLimitsStore(jobs),
          new DirectTransactionRunner(),
          MutableClock.fixed());
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicLong nanos = new AtomicLong();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private void registered() {
    ProjectLimitsUseCase counting =
        new ProjectLimitsUseCase() {
          @Override
          public LimitsView get(Caller caller, String project) {
            return service.get(caller, project);
          }

          @Override
          public LimitsView put(Caller caller, String project, Supplier<ProjectLimits> limits) {
            return service.put(caller, project, limits);
          }

          @Override
          public List<LimitsView> everyProject() {
            reads.incrementAndGet();
            return service.everyProject();
          }
        };
    registry
        .getPrometheusRegistry()
        .register(new LimitGauges(counting, Duration.ofSeconds(5), nanos::get));
  }

  @Test
  void limitsAndUsageAreReadOnScrapeAtMostOncePerTtl() {
    service.put(
        Caller.admin("admin"),
        "etl",
        () -> new ProjectLimits(2, null, 1, Map.of("gpu", new QueueLimits(null, 10L))));
    jobs.insert(
        JobTestData.aJob()
            .inProject("etl")
            .inQueue("gpu")
            .withStatus(JobStatus.RUNNING)
            .buildJob());
    jobs.insert(
        JobTestData.aJob().inProject("etl").inQueue("gpu").withStatus(JobStatus.QUEUED).buildJob());
    jobs.insert(JobTestData.aJob().inProject("ml").withStatus(JobStatus.QUEUED).buildJob());
    registered();
    assertThat(reads).hasValue(0);

    String scraped = registry.scrape();
    assertThat(scraped)
        .contains("jobplane_project_limit{kind=\"max_running\",project=\"etl\",queue=\"*\"} 2.0")
        .contains("jobplane_project_limit{kind=\"max_queued\",project=\"etl\",queue=\"gpu\"} 10.0")
        .contains("jobplane_project_usage{kind=\"running\",project=\"etl\",queue=\"*\"} 1.0")
        .contains("jobplane_project_usage{kind=\"queued\",project=\"etl\",queue=\"gpu\"} 1.0")
        .doesNotContain("kind=\"max_queued\",project=\"etl\",queue=\"*\"")
        .doesNotContain("project=\"ml\"");
    registry.scrape();
    assertThat(reads).hasValue(1);
    nanos.addAndGet(Duration.ofSeconds(6).toNanos());
    registry.scrape();
    assertThat(reads).hasValue(2);
  }
}
