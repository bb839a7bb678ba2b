package io.jobplane.adapters.k8s.operator;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events about an object, so {@code kubectl describe} shows its history. A repeat
 * of the same (object, reason, message) bumps the count and lastTimestamp of the event already
 * there, as the Kubernetes event recorder does, instead of piling up copies: the event's name is
 * derived from that triple, so the repeat's create answers 409 and the existing event is edited.
 * Best effort: a failure is logged and swallowed, never thrown, so it cannot fail a reconcile.
 */
public class KubernetesEvents {

  static final String NORMAL = "Normal";
  static final String WARNING = "Warning";

  /** The events.k8s.io note limit; kubectl describe shows no more anyway. */
  static final int MAX_MESSAGE = 1024;

  static final int MAX_REASON = 128;

  /** Event names are DNS subdomains: 253 characters at most. */
  static final int MAX_NAME = 253;

  private static final int HASH_CHARS = 16;
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesEvents.class);

  private final KubernetesClient client;
  private final String component;
  private final Clock clock;
  private final boolean routine;

  public KubernetesEvents(KubernetesClient client, String component) {
    this(client, component, Clock.systemUTC());
  }

  public KubernetesEvents(KubernetesClient client, String component, Clock clock) {
    this(client, component, clock, true);
  }

  private KubernetesEvents(
      KubernetesClient client, String component, Clock clock, boolean routine) {
    this.client = Objects.requireNonNull(client, "client");
    this.component = Objects.requireNonNull(component, "component");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.routine = routine;
  }

  /**
   * These events with {@link #routine} ones recorded or not: each is an API request, on every
   * resource's happy path, for what the status conditions and the store's timeline show anyway.
   */
  public KubernetesEvents withRoutine(boolean record) {
    return new KubernetesEvents(client, component, clock, record);
  }

  /**
   * A {@code Normal} event of the happy path (a run created, a phase reached): recorded only when
   * routine events are on ({@code --routine-events}).
   */
  public void routine(HasMetadata involved, String reason, String message) {
    if (routine) {
      normal(involved, reason, message);
    }
  }

  /** A {@code Normal} event: something expected happened (created, started, succeeded). */
  public void normal(HasMetadata involved, String reason, String message) {
    record(involved, NORMAL, reason, message);
  }

  /** A {@code Warning} event: something the user should look at (failed, rejected). */
  public void warning(HasMetadata involved, String reason, String message) {
    record(involved, WARNING, reason, message);
  }

  /**
   * The event's name: the object's name and a hash of (object, reason, message), so a repeat maps
   * to the same event.
   */
  static String name(HasMetadata involved, String reason, String message) {
    ObjectMeta meta = involved.getMetadata();
    String identity =
        meta.getUid() != null
            ? meta.getUid()
            : kind(involved) + "/" + meta.getNamespace() + "/" + meta.getName();
    // a name-based (MD5) UUID: a stable digest is all that is needed here, not a secure one
    String hash =
        UUID.nameUUIDFromBytes((identity + "\n" + reason + "\n" + message).getBytes(UTF_8))
            .toString()
            .replace("-", "")
            .substring(0, HASH_CHARS);
    String prefix = meta.getName();
    if (prefix.length() > MAX_NAME - HASH_CHARS - 1) {
      prefix = prefix.substring(0, MAX_NAME - HASH_CHARS - 1);
      // each dot-separated part of a DNS subdomain must end alphanumeric
      while (!prefix.isEmpty() && !Character.isLetterOrDigit(prefix.charAt(prefix.length() - 1))) {
        prefix = prefix.substring(0, prefix.length() - 1);
      }
    }
    return prefix + "." + hash;
  }

  private void record(HasMetadata involved, String type, String reason, String message) {
    try {
      Event event = event(involved, type, cut(reason, MAX_REASON), cut(message, MAX_MESSAGE));
      try {
        client.v1().events().resource(event).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        bump(event);
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "Could not record {} event {} for {}: {}",
          type,
          reason,
          describe(involved),
          e.toString());
    }
  }

  private void bump(Event event) {
    String now = now();
    client
        .v1()
        .events()
        .inNamespace(event.getMetadata().getNamespace())
        .withName(event.getMetadata().getName())
        .edit(
            existing -> {
              existing.setCount((existing.getCount() == null ? 1 : existing.getCount()) + 1);
              existing.setLastTimestamp(now);
              return existing;
            });
  }

  private Event event(HasMetadata involved, String type, String reason, String message) {
    ObjectMeta meta = involved.getMetadata();
    // the API server requires the event in the object's namespace; "default" for cluster objects
    String namespace = meta.getNamespace() == null ? "default" : meta.getNamespace();
    String now = now();
    return new EventBuilder()
        .withNewMetadata()
        .withName(name(involved, reason, message))
        .withNamespace(namespace)
        .endMetadata()
        .withNewInvolvedObject()
        .withApiVersion(apiVersion(involved))
        .withKind(kind(involved))
        .withName(meta.getName())
        .withNamespace(meta.getNamespace())
        .withUid(meta.getUid())
        .withResourceVersion(meta.getResourceVersion())
        .endInvolvedObject()
        .withType(type)
        .withReason(reason)
        .withMessage(message)
        .withNewSource()
        .withComponent(component)
        .endSource()
        .withReportingComponent(component)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .build();
  }

  private String now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String apiVersion(HasMetadata involved) {
    return involved.getApiVersion() != null
        ? involved.getApiVersion()
        : HasMetadata.getApiVersion(involved.getClass());
  }

  private static String kind(HasMetadata involved) {
    return involved.getKind() != null
        ? involved.getKind()
        : HasMetadata.getKind(involved.getClass());
  }

  private static String describe(HasMetadata involved) {
    if (involved == null || involved.getMetadata() == null) {
      return String.valueOf(involved);
    }
    return kind(involved)
        + " "
        + involved.getMetadata().getNamespace()
        + "/"
        + involved.getMetadata().getName();
  }

  private static String cut(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max - 3) + "...";
  }
}
