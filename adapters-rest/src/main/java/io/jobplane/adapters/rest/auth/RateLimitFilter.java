package io.jobplane.adapters.rest.auth;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.jobplane.adapters.rest.ApiSettings.RateLimit;
import io.jobplane.adapters.rest.problem.ApiProblemException;
import io.jobplane.application.security.Caller;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Requests per token: each authenticated caller draws from a Bucket4j token bucket of its own
 * ({@code burst} at once, refilled at {@code perSecond}), and a caller whose bucket is empty gets
 * 429 with Retry-After, before any work is done for it. Buckets live in this process's memory, so
 * behind a load balancer each replica grants the limit on its own. Requests without a token
 * (health, readiness, the OpenAPI document) are not limited.
 */
@Priority(Priorities.AUTHENTICATION + 10)
public final class RateLimitFilter implements ContainerRequestFilter {

  /** Past this many callers, buckets that are full again (idle callers) are dropped. */
  static final int MAX_IDLE_BUCKETS = 10_000;

  private final RateLimit limit;
  private final Counter refused;
  private final Map<Caller, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimitFilter(RateLimit limit, MeterRegistry registry) {
    this.limit = Objects.requireNonNull(limit, "limit");
    this.refused =
        Counter.builder("jobplane.http.rate.limited")
            .description("Requests refused with 429 because their token's rate limit was spent")
            .register(registry);
  }

  @Override
  public void filter(ContainerRequestContext request) {
    Principal principal = request.getSecurityContext().getUserPrincipal();
    if (!limit.enabled() || !(principal instanceof CallerPrincipal cp)) {
      return;
    }
    ConsumptionProbe probe =
        buckets.computeIfAbsent(cp.caller(), c -> newBucket()).tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      forgetIdleBuckets();
      return;
    }
    refused.increment();
    long seconds =
        Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() - 1) + 1);
    throw new ApiProblemException(
        429,
        "rate-limited",
        "Too many requests",
        "this token may make "
            + limit.perSecond()
            + " requests a second (bursts of "
            + limit.burst()
            + "); retry in "
            + seconds
            + " s",
        List.of(),
        Map.of(HttpHeaders.RETRY_AFTER, Long.toString(seconds)));
  }

  private Bucket newBucket() {
    return Bucket.builder()
        .addLimit(
            l -> l.capacity(limit.burst()).refillGreedy(limit.perSecond(), Duration.ofSeconds(1)))
        .build();
  }

  /** Run credentials come and go with job runs: their buckets must not pile up. */
  private void forgetIdleBuckets() {
    if (buckets.size() > MAX_IDLE_BUCKETS) {
      buckets.values().removeIf(b -> b.getAvailableTokens() >= limit.burst());
    }
  }
}
