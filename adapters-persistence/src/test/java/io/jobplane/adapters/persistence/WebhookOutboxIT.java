package io.jobplane.adapters.persistence;

import static io.jobplane.application.testing.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.in.ManageWebhooksUseCase.Target;
import io.jobplane.application.port.in.ManageWebhooksUseCase.WebhookSpec;
import io.jobplane.application.port.out.WebhookOutbox;
import io.jobplane.application.port.out.WebhookOutbox.Claimed;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.SecretCipher;
import io.jobplane.application.service.WebhooksService;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.domain.EventType;
import io.jobplane.domain.Job;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.TimelineEvent;
import io.jobplane.domain.webhook.DeliveryStatus;
import io.jobplane.domain.webhook.Webhook;
import io.jobplane.domain.webhook.WebhookFilter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** V18's outbox on the real PostgreSQL: written with the transition, claimed once. */
class WebhookOutboxIT {

  private final PostgresStore store = TestDatabase.store();
  private final WebhookOutbox outbox = store.webhookOutbox();
  private final MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.MICROS));
  private final WebhooksService webhooks =
      new WebhooksService(
          store.webhooks(),
          outbox,
          new SecretCipher(SecretCipher.generateKey()),
          store.transactions(),
          clock);
  private final Caller admin = Caller.admin("root");

  private static String project() {
    return "wh-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private Webhook webhook(String project, WebhookFilter filter) {
    return webhooks.create(
        new Target(admin, project, null),
        () ->
            new WebhookSpec(
                URI.create("http://127.0.0.1:9/" + project), filter, "secret-0123456789abcdef"));
  }

  /** The event types of a webhook's deliveries, oldest first. */
  private List<String> delivered(Webhook w) {
    List<String> types = new ArrayList<>();
    outbox
        .log(w.id(), null, 100)
        .deliveries()
        .forEach(d -> types.add(0, d.event().transition().type().name()));
    return types;
  }

  @Test
  void aTransitionQueuesDeliveriesForExactlyTheMatchingWebhooksOfItsProject() {
    String project = project();
    Map<String, WebhookFilter> filters = new LinkedHashMap<>();
    filters.put("everything", WebhookFilter.EVERYTHING);
    filters.put("succeeded", WebhookFilter.of(List.of("SUCCEEDED"), null, null));
    filters.put("other type", WebhookFilter.of(null, List.of("report"), null));
    filters.put("env=prod", WebhookFilter.of(null, null, "env=prod"));
    filters.put("env!=prod", WebhookFilter.of(null, null, "env!=prod"));
    filters.put("team", WebhookFilter.of(null, null, "team"));
    filters.put("!team", WebhookFilter.of(null, null, "!team"));
    filters.put("env!=dev,!canary", WebhookFilter.of(null, null, "env!=dev,!canary"));
    filters.put(
        "running+etl+prod", WebhookFilter.of(List.of("RUNNING"), List.of("etl"), "env==prod"));
    Map<String, Webhook> created = new LinkedHashMap<>();
    filters.forEach((name, f) -> created.put(name, webhook(project, f)));
    Webhook elsewhere = webhook(project(), WebhookFilter.EVERYTHING);

    Job job =
        aJob()
            .inProject(project)
            .withType("etl")
            .withLabel("env", "prod")
            .withLabel("team", "data")
            .withStatus(JobStatus.SUCCEEDED)
            .buildJob();
    List<TimelineEvent> events = job.uncommittedEvents();
    store.jobRepository().insert(job);

    filters.forEach(
        (name, f) -> {
          List<String> expected =
              events.stream()
                  .filter(e -> f.matches(e.to(), "etl", Map.of("env", "prod", "team", "data")))
                  .map(e -> e.type().name())
                  .toList();
          assertThat(delivered(created.get(name)))
              .as("deliveries of webhook '%s' (the trigger agrees with WebhookFilter)", name)
              .isEqualTo(expected);
        });
    assertThat(delivered(created.get("everything")))
        .containsExactly("SUBMITTED", "QUEUED", "STARTED", "SUCCEEDED");
    assertThat(delivered(created.get("succeeded"))).containsExactly("SUCCEEDED");
    assertThat(delivered(created.get("other type"))).isEmpty();
    assertThat(delivered(elsewhere)).as("another project's webhook").isEmpty();
  }

  @Test
  void aRolledBackTransitionQueuesNothing() {
    String project = project();
    Webhook w = webhook(project, WebhookFilter.EVERYTHING);
    Job job = aJob().inProject(project).withStatus(JobStatus.RUNNING).buildJob();

    assertThatThrownBy(
            () ->
                store
                    .transactions()
                    .inTransaction(
                        () -> {
                          store.jobRepository().insert(job);
                          assertThat(delivered(w)).as("inside the transaction").hasSize(3);
                          throw new IllegalStateException("rolled back");
                        }))
        .hasMessage("rolled back");

    assertThat(delivered(w)).isEmpty();
    store.jobRepository().insert(aJob().inProject(project).buildJob());
    assertThat(delivered(w)).containsExactly("SUBMITTED", "QUEUED");
  }

  @Test
  void twoRelaysClaimingAtOnceGetEachDeliveryExactlyOnce() throws Exception {
    String project = project();
    webhook(project, WebhookFilter.EVERYTHING);
    Set<UUID> queued = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      Job job =
          aJob()
              .inProject(project)
              .withStatus(JobStatus.SUCCEEDED)
              .createdAt(clock.instant().minusSeconds(60))
              .buildJob();
      store.jobRepository().insert(job);
    }
    Instant now = clock.instant().plusSeconds(1);
    ExecutorService relays = Executors.newFixedThreadPool(2);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<CompletableFuture<List<UUID>>> claims = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        claims.add(
            CompletableFuture.supplyAsync(
                () -> {
                  List<UUID> mine = new ArrayList<>();
                  try {
                    start.await(10, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  List<Claimed> batch;
                  do {
                    batch = outbox.claim(now, Duration.ofMinutes(5), 3);
                    batch.stream()
                        .filter(c -> c.event().job().project().equals(project))
                        .forEach(c -> mine.add(c.event().id()));
                  } while (!batch.isEmpty());
                  return mine;
                },
                relays));
      }
      start.countDown();
      List<UUID> first = claims.get(0).get(60, TimeUnit.SECONDS);
      List<UUID> second = claims.get(1).get(60, TimeUnit.SECONDS);
      List<UUID> all = new ArrayList<>(first);
      all.addAll(second);
      queued.addAll(all);

      assertThat(all).hasSize(40).doesNotHaveDuplicates();
      assertThat(queued).hasSize(40);
      assertThat(
              outbox.claim(now, Duration.ofMinutes(5), 100).stream()
                  .filter(c -> c.event().job().project().equals(project)))
          .as("claimed rows are not due again before the lease ends")
          .isEmpty();
    } finally {
      relays.shutdownNow();
    }
  }

  @Test
  void outcomesAreRecordedOnlyByTheClaimThatSentAndTheLogShowsThem() {
    String project = project();
    Webhook w = webhook(project, WebhookFilter.of(List.of("PENDING"), null, null));
    Job job =
        aJob()
            .inProject(project)
            .withStatus(JobStatus.PENDING)
            .createdAt(clock.instant())
            .buildJob();
    JobId jobId = store.jobRepository().insert(job).id();
    Instant now = clock.instant().plusSeconds(1);
    Claimed first =
        outbox.claim(now, Duration.ofMillis(1), 1_000).stream()
            .filter(c -> c.webhook().equals(w.id()))
            .findFirst()
            .orElseThrow();
    assertThat(first.event().job().id()).isEqualTo(jobId);
    assertThat(first.event().transition().type()).isEqualTo(EventType.SUBMITTED);
    assertThat(first.attempts()).isEqualTo(1);

    // the lease ended: another relay claims it again, and the first one's late result is ignored
    Claimed second =
        outbox.claim(now.plusSeconds(1), Duration.ofMinutes(1), 1_000).stream()
            .filter(c -> c.webhook().equals(w.id()))
            .findFirst()
            .orElseThrow();
    assertThat(second.attempts()).isEqualTo(2);
    outbox.delivered(first.event().id(), first.attempts(), 200, now);
    assertThat(outbox.find(w.id(), first.event().id()).orElseThrow().progress().status())
        .isEqualTo(DeliveryStatus.PENDING);

    outbox.retry(second.event().id(), 2, 503, "the receiver answered 503", now.plusSeconds(30));
    var retried = outbox.find(w.id(), second.event().id()).orElseThrow().progress();
    assertThat(retried.lastResponseCode()).isEqualTo(503);
    assertThat(retried.nextAttemptAt()).isEqualTo(now.plusSeconds(30));

    Claimed third =
        outbox.claim(now.plusSeconds(30), Duration.ofMinutes(1), 1_000).stream()
            .filter(c -> c.webhook().equals(w.id()))
            .findFirst()
            .orElseThrow();
    outbox.delivered(third.event().id(), third.attempts(), 204, now.plusSeconds(31));
    var page = outbox.log(w.id(), null, 10);
    assertThat(page.deliveries()).hasSize(1);
    assertThat(page.deliveries().get(0).progress().status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(page.deliveries().get(0).progress().attempts()).isEqualTo(3);
    assertThat(page.next()).isNull();

    assertThat(outbox.redeliver(w.id(), third.event().id(), now.plusSeconds(60))).isTrue();
    assertThat(outbox.redeliver(w.id(), third.event().id(), now.plusSeconds(60)))
        .as("pending already")
        .isFalse();
    assertThat(outbox.find(w.id(), third.event().id()).orElseThrow().progress().status())
        .isEqualTo(DeliveryStatus.PENDING);
  }

  @Test
  void settledDeliveriesOlderThanTheCutOffAreForgottenAndPendingOnesKept() {
    String project = project();
    Webhook w = webhook(project, WebhookFilter.EVERYTHING);
    store
        .jobRepository()
        .insert(aJob().inProject(project).withStatus(JobStatus.SUCCEEDED).buildJob());
    // settled far from every other test's rows, which share the table
    Instant settledAt = clock.instant().plus(Duration.ofDays(400));
    List<Claimed> mine =
        outbox.claim(settledAt, Duration.ofMinutes(1), 1_000).stream()
            .filter(c -> c.webhook().equals(w.id()))
            .toList();
    assertThat(mine).hasSize(4);
    outbox.delivered(mine.get(0).event().id(), mine.get(0).attempts(), 200, settledAt);
    outbox.delivered(mine.get(1).event().id(), mine.get(1).attempts(), 204, settledAt);
    outbox.failed(mine.get(2).event().id(), mine.get(2).attempts(), 500, "gave up", settledAt);
    // the fourth stays pending (claimed, unanswered)

    outbox.forgetSettled(settledAt, 1_000);
    assertThat(outbox.log(w.id(), null, 10).deliveries()).as("settled at, not before").hasSize(4);

    while (outbox.forgetSettled(settledAt.plusSeconds(1), 1) > 0) {
      // one at a time: the limit bounds each statement
    }
    assertThat(outbox.log(w.id(), null, 10).deliveries())
        .extracting(d -> d.event().id())
        .containsExactly(mine.get(3).event().id());
  }

  @Test
  void theLogPagesNewestFirst() {
    String project = project();
    Webhook w = webhook(project, WebhookFilter.EVERYTHING);
    store
        .jobRepository()
        .insert(aJob().inProject(project).withStatus(JobStatus.SUCCEEDED).buildJob());

    var first = outbox.log(w.id(), null, 3);
    var second = outbox.log(w.id(), first.next(), 3);

    assertThat(first.deliveries())
        .extracting(d -> d.event().transition().type().name())
        .containsExactly("SUCCEEDED", "STARTED", "QUEUED");
    assertThat(second.deliveries())
        .extracting(d -> d.event().transition().type().name())
        .containsExactly("SUBMITTED");
    assertThat(second.next()).isNull();
  }
}
