package io.jobplane.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.in.ManageWebhooksUseCase;
import io.jobplane.application.port.in.ManageWebhooksUseCase.Target;
import io.jobplane.application.port.in.ManageWebhooksUseCase.WebhookSpec;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.security.SecretCipher;
import io.jobplane.application.testing.DirectTransactionRunner;
import io.jobplane.application.testing.InMemoryWebhookOutbox;
import io.jobplane.application.testing.InMemoryWebhooks;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.webhook.Webhook;
import io.jobplane.domain.webhook.WebhookFilter;
import io.jobplane.domain.webhook.WebhookId;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class WebhooksServiceTest {

  private static final String SECRET = "a-signing-secret-1234";

  private final InMemoryWebhooks store = new InMemoryWebhooks();
  private final SecretCipher cipher = new SecretCipher(SecretCipher.generateKey());
  private final WebhooksService service =
      new WebhooksService(
          store,
          new InMemoryWebhookOutbox(),
          cipher,
          new DirectTransactionRunner(),
          MutableClock.fixed());
  private final Caller etl = new Caller("etl", Set.of(Role.SUBMITTER), Set.of("etl"));
  private final Caller viewer = new Caller("viewer", Set.of(Role.VIEWER), null);

  private static WebhookSpec spec(String secret) {
    return new WebhookSpec(URI.create("https://example.com/in"), WebhookFilter.EVERYTHING, secret);
  }

  private Webhook create(Caller caller, String project) {
    return service.create(new Target(caller, project, null), () -> spec(SECRET));
  }

  @Test
  void theSecretIsSealedBoundToTheWebhookAndNeverPartOfWhatIsAnswered() {
    Webhook w = create(etl, "etl");

    var sealed = store.sealedSecret(w.id()).orElseThrow();
    assertThat(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
    assertThat(cipher.open(sealed, WebhooksService.aad("etl", w.id()))).isEqualTo(SECRET);
    assertThat(w.toString()).doesNotContain(SECRET);
    assertThat(spec(SECRET).toString()).doesNotContain(SECRET);
  }

  @Test
  void aProjectTheCallerCannotSeeIsNotFoundBeforeTheBodyIsRead() {
    Webhook w = create(Caller.admin("root"), "default");
    AtomicBoolean read = new AtomicBoolean();

    assertThatThrownBy(
            () ->
                service.create(
                    new Target(etl, "default", null),
                    () -> {
                      read.set(true);
                      return spec(SECRET);
                    }))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.NOT_FOUND));
    assertThat(read).isFalse();
    Target other = new Target(etl, "default", w.id());
    Target missing = new Target(etl, "default", WebhookId.random());
    assertThatThrownBy(() -> service.get(other))
        .hasMessage(catchMessage(() -> service.get(missing)));
    assertThatThrownBy(() -> service.delete(other)).hasMessage("webhook not found");
    assertThat(service.get(new Target(Caller.admin("root"), "default", w.id()))).isEqualTo(w);
  }

  @Test
  void readersWhoMayNotSubmitAreForbidden() {
    assertThatThrownBy(() -> service.list(new Target(viewer, "default", null)))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.FORBIDDEN));
  }

  @Test
  void aProjectHoldsALimitedNumberOfWebhooks() {
    for (int i = 0; i < ManageWebhooksUseCase.MAX_WEBHOOKS_PER_PROJECT; i++) {
      create(etl, "etl");
    }
    assertThatThrownBy(() -> create(etl, "etl"))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.CONFLICT));
  }

  @Test
  void aReplaceWithoutSecretKeepsTheOldOneAndWithOneSealsTheNew() {
    Webhook w = create(etl, "etl");
    Target t = new Target(etl, "etl", w.id());
    service.update(
        t,
        () ->
            new WebhookSpec(
                URI.create("http://other.example.com/"), WebhookFilter.EVERYTHING, null));
    assertThat(
            cipher.open(
                store.sealedSecret(w.id()).orElseThrow(), WebhooksService.aad("etl", w.id())))
        .isEqualTo(SECRET);

    service.update(t, () -> spec("the-new-secret-5678"));
    assertThat(
            cipher.open(
                store.sealedSecret(w.id()).orElseThrow(), WebhooksService.aad("etl", w.id())))
        .isEqualTo("the-new-secret-5678");
    assertThat(service.get(t).url()).hasToString("https://example.com/in");
  }

  @Test
  void aSecretThatIsTooShortIsRefusedWithoutBeingQuoted() {
    assertThatThrownBy(() -> spec("short-secret"))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> {
              assertThat(e.errors().get(0).field()).isEqualTo("secret");
              assertThat(e.errors().get(0).message()).doesNotContain("short-secret");
            });
  }

  private static String catchMessage(Runnable r) {
    try {
      r.run();
      return null;
    } catch (DomainException e) {
      return e.getMessage();
    }
  }
}
