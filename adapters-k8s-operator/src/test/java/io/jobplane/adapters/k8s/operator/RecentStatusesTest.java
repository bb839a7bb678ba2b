package io.jobplane.adapters.k8s.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.adapters.k8s.crd.JobPhase;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.adapters.k8s.crd.JobStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class RecentStatusesTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final RecentStatuses recent = new RecentStatuses(clock);

  @Test
  void theInformersOldVersionShowsThePatchedStatus() {
    JobResource seen = resource("7");
    recent.remember(seen, queued());

    assertThat(recent.current(resource("7"), false).getStatus().getPhase())
        .isEqualTo(JobPhase.QUEUED);
  }

  @Test
  void aNewerVersionIsTakenAsItIsAndTheMemoryIsDropped() {
    recent.remember(resource("7"), queued());

    JobResource newer = resource("8");

    assertThat(recent.current(newer, false)).isSameAs(newer);
    assertThat(recent.size()).isZero();
  }

  @Test
  void aRetryTrustsOnlyTheInformerForThePatchMayHaveFailed() {
    recent.remember(resource("7"), queued());

    JobResource same = resource("7");

    assertThat(recent.current(same, true)).isSameAs(same);
  }

  @Test
  void aPatchTheInformerNeverShowsIsForgottenAfterTheHold() {
    recent.remember(resource("7"), queued());
    clock.advance(RecentStatuses.HOLD.plusSeconds(1));

    JobResource same = resource("7");

    assertThat(recent.current(same, false)).isSameAs(same);
  }

  private static JobStatus queued() {
    JobStatus status = new JobStatus();
    status.setPhase(JobPhase.QUEUED);
    return status;
  }

  private static JobResource resource(String resourceVersion) {
    JobResource resource = JobResourceTestData.aJob("nightly-report");
    resource.getMetadata().setResourceVersion(resourceVersion);
    return resource;
  }

  private static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
