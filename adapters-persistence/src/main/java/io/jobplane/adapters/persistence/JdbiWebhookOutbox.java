package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.WebhookOutbox;
import io.jobplane.application.security.SecretCipher.Sealed;
import io.jobplane.domain.EventType;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.webhook.DeliveryStatus;
import io.jobplane.domain.webhook.WebhookEvent;
import io.jobplane.domain.webhook.WebhookId;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link WebhookOutbox} on PostgreSQL (table {@code webhook_deliveries}, written by V18's trigger).
 * A claim is one statement: it locks the oldest due rows with {@code FOR UPDATE SKIP LOCKED} (rows
 * another relay is claiming are passed over, not waited for), counts an attempt and pushes their
 * due time past the lease, then commits, so the sends themselves hold no lock and no connection.
 */
public final class JdbiWebhookOutbox implements WebhookOutbox {

  private static final String EVENT_COLUMNS =
      "d.id, d.seq, d.job_id, d.job_name, d.project, d.job_type, d.event_type, d.from_status,"
          + " d.to_status, d.run_id, d.attempt, d.occurred_at";
  private static final String SELECT_LOGGED =
      "SELECT "
          + EVENT_COLUMNS
          + ", d.status, d.attempts, d.last_response_code, d.last_error, d.next_attempt_at,"
          + " d.updated_at FROM webhook_deliveries d";

  private final Jdbi jdbi;

  public JdbiWebhookOutbox(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public List<Claimed> claim(Instant now, Duration lease, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "WITH due AS (SELECT id FROM webhook_deliveries"
                        + " WHERE status = 'PENDING' AND next_attempt_at <= :now"
                        + " ORDER BY next_attempt_at, seq LIMIT :limit FOR UPDATE SKIP LOCKED),"
                        + " claimed AS (UPDATE webhook_deliveries d SET attempts = d.attempts + 1,"
                        + " next_attempt_at = :lease_end, updated_at = :now FROM due"
                        + " WHERE d.id = due.id RETURNING d.*)"
                        + " SELECT "
                        + EVENT_COLUMNS
                        + ", d.attempts, d.window_start, d.webhook_id, w.url, w.secret_key_id,"
                        + " w.secret_nonce, w.secret_ciphertext"
                        + " FROM claimed d JOIN webhooks w ON w.id = d.webhook_id ORDER BY d.seq")
                .bind("now", JobRows.ts(now))
                .bind("lease_end", JobRows.ts(now.plus(lease)))
                .bind("limit", limit)
                .map(
                    (rs, ctx) ->
                        new Claimed(
                            event(rs),
                            new WebhookId(rs.getObject("webhook_id", UUID.class)),
                            URI.create(rs.getString("url")),
                            new Sealed(
                                rs.getString("secret_key_id"),
                                rs.getBytes("secret_nonce"),
                                rs.getBytes("secret_ciphertext")),
                            rs.getInt("attempts"),
                            JobRows.instant(rs, "window_start")))
                .list());
  }

  @Override
  public void delivered(UUID delivery, int attempts, int responseCode, Instant now) {
    record(delivery, attempts, DeliveryStatus.DELIVERED, responseCode, null, now, now);
  }

  @Override
  public void retry(
      UUID delivery, int attempts, Integer responseCode, String error, Instant nextAttemptAt) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE webhook_deliveries SET last_response_code = :code, last_error = :error,"
                        + " next_attempt_at = :next, updated_at = now()"
                        + " WHERE id = :id AND attempts = :attempts AND status = 'PENDING'")
                .bind("id", delivery)
                .bind("attempts", attempts)
                .bind("code", responseCode)
                .bind("error", error)
                .bind("next", JobRows.ts(nextAttemptAt))
                .execute());
  }

  @Override
  public void failed(UUID delivery, int attempts, Integer responseCode, String error, Instant now) {
    record(delivery, attempts, DeliveryStatus.FAILED, responseCode, error, now, now);
  }

  @Override
  public int forgetSettled(Instant before, int limit) {
    return jdbi.withHandle(
        h ->
            h.createUpdate(
                    "DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries"
                        + " WHERE status <> 'PENDING' AND updated_at < :before LIMIT :limit)")
                .bind("before", JobRows.ts(before))
                .bind("limit", limit)
                .execute());
  }

  private void record(
      UUID delivery,
      int attempts,
      DeliveryStatus status,
      Integer code,
      String error,
      Instant next,
      Instant now) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE webhook_deliveries SET status = :status, last_response_code = :code,"
                        + " last_error = :error, next_attempt_at = :next, updated_at = :now"
                        + " WHERE id = :id AND attempts = :attempts AND status = 'PENDING'")
                .bind("id", delivery)
                .bind("attempts", attempts)
                .bind("status", status.name())
                .bind("code", code)
                .bind("error", error)
                .bind("next", JobRows.ts(next))
                .bind("now", JobRows.ts(now))
                .execute());
  }

  @Override
  public Optional<Instant> nextDue() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT next_attempt_at FROM webhook_deliveries WHERE status = 'PENDING'"
                        + " ORDER BY next_attempt_at LIMIT 1")
                .map((rs, ctx) -> JobRows.instant(rs, "next_attempt_at"))
                .findOne());
  }

  @Override
  public LogPage log(WebhookId webhook, Long before, int limit) {
    List<Row> rows =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        SELECT_LOGGED
                            + " WHERE d.webhook_id = :webhook"
                            + (before == null ? "" : " AND d.seq < :before")
                            + " ORDER BY d.seq DESC LIMIT :limit")
                    .bind("webhook", webhook.value())
                    .bind("before", before)
                    .bind("limit", limit + 1)
                    .map((rs, ctx) -> new Row(rs.getLong("seq"), logged(rs)))
                    .list());
    boolean more = rows.size() > limit;
    List<Row> page = more ? rows.subList(0, limit) : rows;
    return new LogPage(
        page.stream().map(Row::logged).toList(), more ? page.get(page.size() - 1).seq() : null);
  }

  private record Row(long seq, Logged logged) {}

  @Override
  public boolean redeliver(WebhookId webhook, UUID delivery, Instant now) {
    return jdbi.withHandle(
        h ->
            h.createUpdate(
                        "UPDATE webhook_deliveries SET status = 'PENDING', next_attempt_at = :now,"
                            + " window_start = :now, updated_at = :now"
                            + " WHERE id = :id AND webhook_id = :webhook AND status <> 'PENDING'")
                    .bind("id", delivery)
                    .bind("webhook", webhook.value())
                    .bind("now", JobRows.ts(now))
                    .execute()
                == 1);
  }

  @Override
  public Optional<Logged> find(WebhookId webhook, UUID delivery) {
    return jdbi.withHandle(
        h ->
            h.createQuery(SELECT_LOGGED + " WHERE d.id = :id AND d.webhook_id = :webhook")
                .bind("id", delivery)
                .bind("webhook", webhook.value())
                .map((rs, ctx) -> logged(rs))
                .findOne());
  }

  private static Logged logged(ResultSet rs) throws SQLException {
    int code = rs.getInt("last_response_code");
    Integer lastCode = rs.wasNull() ? null : code;
    return new Logged(
        event(rs),
        new Progress(
            DeliveryStatus.valueOf(rs.getString("status")),
            rs.getInt("attempts"),
            lastCode,
            rs.getString("last_error"),
            JobRows.instant(rs, "next_attempt_at"),
            JobRows.instant(rs, "updated_at")));
  }

  private static WebhookEvent event(ResultSet rs) throws SQLException {
    String from = rs.getString("from_status");
    return new WebhookEvent(
        rs.getObject("id", UUID.class),
        new WebhookEvent.Job(
            new JobId(rs.getObject("job_id", UUID.class)),
            rs.getString("job_name"),
            rs.getString("project"),
            rs.getString("job_type")),
        new WebhookEvent.Transition(
            EventType.valueOf(rs.getString("event_type")),
            from == null ? null : JobStatus.valueOf(from),
            JobStatus.valueOf(rs.getString("to_status")),
            rs.getInt("run_id"),
            rs.getInt("attempt"),
            JobRows.instant(rs, "occurred_at")));
  }
}
