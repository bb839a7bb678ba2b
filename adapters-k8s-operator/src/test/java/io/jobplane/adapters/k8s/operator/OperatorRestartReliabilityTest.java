package io.jobplane.adapters.k8s.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.jobplane.adapters.k8s.crd.JobPhase;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.domain.EventType;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.TimelineEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator restarted 20 times at random points while 200 resources are reconciled, with the API
 * server refusing some writes (409 on status patches, 500 on batch Job creation): afterwards every
 * resource has exactly one batch Job, resource status and store agree, every transition is in the
 * timeline once, and deleting everything leaves no finalizer behind.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorRestartReliabilityTest {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorRestartReliabilityTest.class);
  private static final String NS = JobResourceTestData.NAMESPACE;
  private static final int RESOURCES = 200;
  private static final int RESTARTS = 20;

  KubernetesClient client;
  KubernetesMockServer server;

  private final Store store = new Store(Clock.systemUTC());

  @Test
  void restartsAndRefusedWritesLoseNothingAndDuplicateNothing() throws Exception {
    JobResourceTestData.registerCrd(client);
    server
        .expect()
        .patch()
        .withPath("/apis/jobplane.io/v1/namespaces/" + NS + "/jobs/job-7/status")
        .andReturn(409, "{\"kind\":\"Status\",\"code\":409,\"reason\":\"Conflict\"}")
        .times(3);
    server
        .expect()
        .post()
        .withPath("/apis/batch/v1/namespaces/" + NS + "/jobs")
        .andReturn(500, "{\"kind\":\"Status\",\"code\":500,\"reason\":\"InternalError\"}")
        .times(3);
    for (int i = 0; i < RESOURCES; i++) {
      client
          .resources(JobResource.class)
          .inNamespace(NS)
          .resource(JobResourceTestData.aJob("job-" + i))
          .create();
    }
    AtomicBoolean running = new AtomicBoolean(true);
    Thread batchController = new Thread(() -> completeBatchJobs(running), "batch-controller");
    batchController.start();

    Random random = new Random(42);
    long started = System.nanoTime();
    try {
      for (int restart = 0; restart < RESTARTS; restart++) {
        JobplaneOperator operator = start();
        Thread.sleep(200 + random.nextInt(800));
        operator.close(); // wherever its reconciles are
      }
      JobplaneOperator last = start();
      try {
        await()
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> succeeded() == RESOURCES);
        assertAgreement();

        client.resources(JobResource.class).inNamespace(NS).delete();
        await()
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    client
                        .resources(JobResource.class)
                        .inNamespace(NS)
                        .list()
                        .getItems()
                        .isEmpty());
      } finally {
        last.close();
      }
    } finally {
      running.set(false);
      batchController.join();
    }
    LOG.info(
        "{} resources, {} operator restarts: all succeeded, agreed and were deleted in {} s",
        RESOURCES,
        RESTARTS,
        Duration.ofNanos(System.nanoTime() - started).toSeconds());
  }

  private JobplaneOperator start() {
    return JobplaneOperator.start(
        client, store.cluster, OperatorSettings.defaults(), Set.of(NS), null, false);
  }

  private long succeeded() {
    return client.resources(JobResource.class).inNamespace(NS).list().getItems().stream()
        .filter(r -> r.getStatus() != null && r.getStatus().getPhase() == JobPhase.SUCCEEDED)
        .count();
  }

  private void assertAgreement() {
    List<Job> batch = client.batch().v1().jobs().inNamespace(NS).list().getItems();
    Map<String, Long> perResource =
        batch.stream()
            .collect(
                Collectors.groupingBy(
                    j -> j.getMetadata().getLabels().get(BatchJobs.JOB_LABEL),
                    Collectors.counting()));
    assertThat(perResource).hasSize(RESOURCES);
    assertThat(perResource.values()).as("one batch Job per resource").containsOnly(1L);
    for (JobResource r : client.resources(JobResource.class).inNamespace(NS).list().getItems()) {
      String id = r.getStatus().getJobId();
      assertThat(store.job(id).status()).isEqualTo(JobStatus.SUCCEEDED);
      Map<EventType, Long> transitions =
          store.timeline(id).stream()
              .collect(Collectors.groupingBy(TimelineEvent::type, Collectors.counting()));
      assertThat(transitions)
          .as("each transition once: " + r.getMetadata().getName())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  EventType.SUBMITTED, 1L,
                  EventType.QUEUED, 1L,
                  EventType.STARTED, 1L,
                  EventType.SUCCEEDED, 1L));
    }
  }

  /** Plays the cluster's batch controller: every batch Job it sees completes. */
  private void completeBatchJobs(AtomicBoolean running) {
    Function<Job, Boolean> open =
        j ->
            j.getStatus() == null
                || j.getStatus().getConditions() == null
                || j.getStatus().getConditions().isEmpty();
    while (running.get()) {
      try {
        for (Job job : client.batch().v1().jobs().inNamespace(NS).list().getItems()) {
          if (open.apply(job)) {
            job.setStatus(
                new JobStatusBuilder()
                    .withSucceeded(1)
                    .withConditions(
                        new JobConditionBuilder().withType("Complete").withStatus("True").build())
                    .build());
            client.batch().v1().jobs().resource(job).updateStatus();
          }
        }
        Thread.sleep(100);
      } catch (KubernetesClientException e) {
        // a job deleted or changed meanwhile: the next pass sees the current state
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
