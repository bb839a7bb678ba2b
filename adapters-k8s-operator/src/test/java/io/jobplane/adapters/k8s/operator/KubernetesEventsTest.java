package io.jobplane.adapters.k8s.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.jobplane.adapters.k8s.crd.JobResource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link KubernetesEvents} against fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class KubernetesEventsTest {

  private static final String NAMESPACE = JobResourceTestData.NAMESPACE;
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  KubernetesClient client;
  KubernetesMockServer server;

  private final MutableClock clock = new MutableClock(T0);
  private KubernetesEvents events;
  private JobResource resource;

  @BeforeEach
  void createResource() {
    resource =
        JobResourceTestData.registerCrd(client)
            .inNamespace(NAMESPACE)
            .resource(JobResourceTestData.aJob("nightly-report"))
            .create();
    events = new KubernetesEvents(client, "jobplane-operator", clock);
  }

  @Test
  void recordsAnEventAboutTheObjectThatKubectlDescribeFindsThroughInvolvedObject() {
    events.normal(resource, "Created", "created batch/v1 Job nightly-report-r1");

    assertThat(events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getMetadata().getName()).startsWith("nightly-report.");
              assertThat(e.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
              assertThat(e.getType()).isEqualTo("Normal");
              assertThat(e.getReason()).isEqualTo("Created");
              assertThat(e.getMessage()).isEqualTo("created batch/v1 Job nightly-report-r1");
              assertThat(e.getInvolvedObject().getApiVersion()).isEqualTo("jobplane.io/v1");
              assertThat(e.getInvolvedObject().getKind()).isEqualTo("Job");
              assertThat(e.getInvolvedObject().getName()).isEqualTo("nightly-report");
              assertThat(e.getInvolvedObject().getNamespace()).isEqualTo(NAMESPACE);
              assertThat(e.getInvolvedObject().getUid())
                  .isEqualTo(resource.getMetadata().getUid())
                  .isNotBlank();
              assertThat(e.getInvolvedObject().getResourceVersion())
                  .isEqualTo(resource.getMetadata().getResourceVersion());
              assertThat(e.getSource().getComponent()).isEqualTo("jobplane-operator");
              assertThat(e.getReportingComponent()).isEqualTo("jobplane-operator");
              assertThat(e.getCount()).isEqualTo(1);
              assertThat(e.getFirstTimestamp()).isEqualTo("2026-11-23T10:00:00Z");
              assertThat(e.getLastTimestamp()).isEqualTo("2026-11-23T10:00:00Z");
            });
  }

  @Test
  void warningsAreRecordedAsWarnings() {
    events.warning(resource, "Rejected", "spec.hostNetwork: not allowed");

    assertThat(events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getReason()).isEqualTo("Rejected");
            });
  }

  @Test
  void aRepeatBumpsCountAndLastTimestampOfTheSameEvent() {
    events.warning(resource, "BackOff", "pod nightly-report-r1-x cannot pull its image");
    clock.advance(Duration.ofSeconds(30));
    events.warning(resource, "BackOff", "pod nightly-report-r1-x cannot pull its image");
    clock.advance(Duration.ofMinutes(2));
    events.warning(resource, "BackOff", "pod nightly-report-r1-x cannot pull its image");

    assertThat(events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getCount()).isEqualTo(3);
              assertThat(e.getFirstTimestamp()).isEqualTo("2026-11-23T10:00:00Z");
              assertThat(e.getLastTimestamp()).isEqualTo("2026-11-23T10:02:30Z");
            });
  }

  @Test
  void anotherReasonMessageOrObjectIsAnotherEvent() {
    ConfigMap other =
        client
            .configMaps()
            .inNamespace(NAMESPACE)
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("nightly-report")
                    .withNamespace(NAMESPACE)
                    .endMetadata()
                    .build())
            .create();

    events.normal(resource, "Created", "created batch/v1 Job nightly-report-r1");
    events.normal(resource, "Created", "created batch/v1 Job nightly-report-r2");
    events.normal(resource, "Started", "created batch/v1 Job nightly-report-r2");
    events.normal(other, "Created", "created batch/v1 Job nightly-report-r1");

    assertThat(events()).hasSize(4).allSatisfy(e -> assertThat(e.getCount()).isEqualTo(1));
    assertThat(events())
        .filteredOn(e -> "ConfigMap".equals(e.getInvolvedObject().getKind()))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getInvolvedObject().getApiVersion()).isEqualTo("v1");
              assertThat(e.getInvolvedObject().getUid()).isEqualTo(other.getMetadata().getUid());
            });
  }

  @Test
  void eventsAboutAClusterScopedObjectGoToTheDefaultNamespace() {
    io.fabric8.kubernetes.api.model.Namespace namespace =
        client
            .namespaces()
            .resource(
                new NamespaceBuilder().withNewMetadata().withName("team-b").endMetadata().build())
            .create();

    events.normal(namespace, "Checked", "namespace may run jobs");

    assertThat(client.v1().events().inNamespace("default").list().getItems())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getInvolvedObject().getKind()).isEqualTo("Namespace");
              assertThat(e.getInvolvedObject().getNamespace()).isNull();
            });
  }

  @Test
  void eventNamesAreDeterministicValidSubdomainsEvenForTheLongestObjectNames() {
    JobResource longName = JobResourceTestData.aJob("long");
    longName.getMetadata().setName("a".repeat(230) + "-" + "b".repeat(22));
    longName.getMetadata().setUid("uid-1");

    String name = KubernetesEvents.name(longName, "Created", "created");

    assertThat(name)
        .hasSizeLessThanOrEqualTo(253)
        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
        .isEqualTo(KubernetesEvents.name(longName, "Created", "created"))
        .isNotEqualTo(KubernetesEvents.name(longName, "Created", "created again"));
  }

  @Test
  void overlongReasonsAndMessagesAreCutToWhatTheApiServerAccepts() {
    events.warning(resource, "R".repeat(200), "m".repeat(5000));

    assertThat(events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getReason()).hasSize(KubernetesEvents.MAX_REASON).endsWith("...");
              assertThat(e.getMessage()).hasSize(KubernetesEvents.MAX_MESSAGE).endsWith("...");
            });
  }

  @Test
  void aFailureToRecordIsSwallowedSoItCannotFailAReconcile() {
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/" + NAMESPACE + "/events")
        // 403, as when the operator's role lacks events/create; the client itself retries 5xx
        .andReturn(403, "events is forbidden")
        .once();

    assertThatCode(() -> events.warning(resource, "Failed", "container main exited with code 3"))
        .doesNotThrowAnyException();
    assertThat(events()).isEmpty();

    events.warning(resource, "Failed", "container main exited with code 3");
    assertThat(events()).as("the next call records it").hasSize(1);
  }

  @Test
  void aFailedBumpIsSwallowedToo() {
    events.normal(resource, "Created", "created");
    String name = events().get(0).getMetadata().getName();
    server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/" + NAMESPACE + "/events/" + name)
        .andReturn(403, "forbidden")
        .once();

    assertThatCode(() -> events.normal(resource, "Created", "created")).doesNotThrowAnyException();
    assertThat(events()).singleElement().satisfies(e -> assertThat(e.getCount()).isEqualTo(1));
  }

  @Test
  void anObjectWithoutMetadataIsLoggedNotThrown() {
    JobResource broken = new JobResource();
    broken.setMetadata(null);

    assertThatCode(() -> events.normal(broken, "Created", "created")).doesNotThrowAnyException();
    assertThatCode(() -> events.normal(null, "Created", "created")).doesNotThrowAnyException();
    assertThat(events()).isEmpty();
  }

  private List<Event> events() {
    return client.v1().events().inNamespace(NAMESPACE).list().getItems();
  }

  /** A clock the test moves forward. */
  private static final class MutableClock extends Clock {

    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
