package io.jobplane.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.in.ApiTokensUseCase.IssuedToken;
import io.jobplane.application.port.in.IssueTokenCommand;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.security.TokenGrant;
import io.jobplane.application.testing.InMemoryApiTokens;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.domain.DomainException;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiTokensServiceTest {

  private final MutableClock clock = MutableClock.fixed();
  private final InMemoryApiTokens store = new InMemoryApiTokens();
  private final ApiTokensService service = new ApiTokensService(store, clock);
  private final Caller admin = Caller.admin("admin");

  private static TokenGrant viewer(String name) {
    return new TokenGrant(name, Set.of(Role.VIEWER), null);
  }

  @Test
  void aUseIsWrittenAtMostOnceAMinuteSoReadsDoNotBecomeWrites() {
    IssuedToken t = service.issue(admin, IssueTokenCommand.forever(viewer("reader")));

    for (int i = 0; i < 30; i++) { // 30 lookups over 58 seconds
      assertThat(service.authenticate(t.secret())).isPresent();
      clock.advance(Duration.ofSeconds(2));
    }
    assertThat(store.recordedUses()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(2));
    service.authenticate(t.secret());
    assertThat(store.recordedUses()).isEqualTo(2);
  }

  @Test
  void aTokenIsRefusedFromItsExpiryOn() {
    IssuedToken t =
        service.issue(admin, new IssueTokenCommand(viewer("short"), null, Duration.ofSeconds(60)));

    clock.advance(Duration.ofSeconds(59));
    assertThat(service.authenticate(t.secret())).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(service.authenticate(t.secret())).isEmpty();
  }

  @Test
  void anExpiryThatIsNotInTheFutureIsInvalid() {
    assertThatThrownBy(
            () ->
                service.issue(admin, new IssueTokenCommand(viewer("past"), clock.instant(), null)))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.errors()).extracting("field").containsExactly("expires_at"));
  }

  @Test
  void onlyAnAdminManagesTokens() {
    Caller submitter = new Caller("ci", Set.of(Role.SUBMITTER, Role.VIEWER), null);

    assertThatThrownBy(() -> service.issue(submitter, IssueTokenCommand.forever(viewer("x"))))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.FORBIDDEN));
    assertThatThrownBy(() -> service.list(submitter)).isInstanceOf(DomainException.class);
    assertThat(store.list(10)).isEmpty();
  }

  @Test
  void tokensWithoutTheIssuedPrefixAreNotLookedUp() {
    service.issue(admin, IssueTokenCommand.forever(viewer("reader")));

    assertThat(service.authenticate("jpr_run-credential")).isEmpty();
    assertThat(service.authenticate("")).isEmpty();
    assertThat(service.authenticate(null)).isEmpty();
  }

  @Test
  void aGrantRefusesProjectsNoJobCanCarry() {
    assertThatThrownBy(() -> new TokenGrant("w", Set.of(Role.WORKER), Set.of("projA")))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.errors()).extracting("field").containsExactly("projects"));
  }
}
