package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.application.port.in.IssueTokenCommand;
import io.jobplane.application.port.out.ApiTokens;
import io.jobplane.application.security.ApiToken;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.security.TokenGrant;
import io.jobplane.application.service.ApiTokensService;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbiApiTokensIT {

  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

  private final PostgresStore store = TestDatabase.store();
  private final ApiTokens tokens = store.apiTokens();

  @BeforeEach
  void emptyTable() throws Exception {
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("TRUNCATE api_tokens");
    }
  }

  private static ApiToken token(String name, Instant createdAt) {
    return new ApiToken(
        UUID.randomUUID(),
        new TokenGrant(name, Set.of(Role.WORKER, Role.VIEWER), Set.of("etl", "billing")),
        createdAt,
        createdAt.plus(1, ChronoUnit.DAYS),
        null,
        null);
  }

  private static byte[] sha256(String secret) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
  }

  /** Every column of every row, as PostgreSQL prints it. */
  private List<String> tableAsText() throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT t::text FROM api_tokens t")) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }

  @Test
  void aStoredTokenIsFoundByTheHashOfItsSecretAndByIdWithItsMetadata() throws Exception {
    ApiToken stored = token("etl-worker", T0);
    assertThat(tokens.insert(stored, sha256("jpt_one"))).isTrue();

    assertThat(tokens.findBySha256(sha256("jpt_one"))).contains(stored);
    assertThat(tokens.findById(stored.id())).contains(stored);
    assertThat(tokens.findBySha256(sha256("jpt_other"))).isEmpty();
    assertThat(tokens.findById(UUID.randomUUID())).isEmpty();
  }

  @Test
  void aTokenForEveryProjectKeepsProjectsNull() throws Exception {
    ApiToken all =
        new ApiToken(
            UUID.randomUUID(),
            new TokenGrant("ops", Set.of(Role.ADMIN), null),
            T0,
            null,
            null,
            null);
    tokens.insert(all, sha256("jpt_ops"));

    assertThat(tokens.findById(all.id()).orElseThrow().grant().projects()).isNull();
  }

  @Test
  void onlyTheHashOfTheSecretIsStoredNeverTheSecret() throws Exception {
    String secret = "jpt_" + UUID.randomUUID();
    ApiToken stored = token("etl-worker", T0);
    tokens.insert(stored, sha256(secret));

    List<String> rows = tableAsText();
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0))
        .doesNotContain(secret)
        .doesNotContain(secret.substring(4))
        .contains(HexFormat.of().formatHex(sha256(secret)));
  }

  @Test
  void twoLiveTokensCannotShareANameButARevokedOneFreesIt() throws Exception {
    ApiToken first = token("ci", T0);
    assertThat(tokens.insert(first, sha256("jpt_1"))).isTrue();

    assertThat(tokens.insert(token("ci", T0), sha256("jpt_2"))).isFalse();
    assertThat(tokens.findBySha256(sha256("jpt_2"))).isEmpty();

    tokens.revoke(first.id(), T0.plusSeconds(1));
    assertThat(tokens.insert(token("ci", T0.plusSeconds(2)), sha256("jpt_3"))).isTrue();
  }

  @Test
  void revokingTwiceKeepsTheFirstTimeAndAnUnknownIdIsReported() throws Exception {
    ApiToken t = token("ci", T0);
    tokens.insert(t, sha256("jpt_1"));

    assertThat(tokens.revoke(t.id(), T0.plusSeconds(10))).isTrue();
    assertThat(tokens.revoke(t.id(), T0.plusSeconds(20))).isTrue();
    assertThat(tokens.findById(t.id()).orElseThrow().revokedAt()).isEqualTo(T0.plusSeconds(10));

    assertThat(tokens.revoke(UUID.randomUUID(), T0)).isFalse();
  }

  @Test
  void aRecordedUseOnlyMovesLastUsedForward() throws Exception {
    ApiToken t = token("ci", T0);
    tokens.insert(t, sha256("jpt_1"));

    tokens.recordUse(t.id(), T0.plusSeconds(120));
    tokens.recordUse(t.id(), T0.plusSeconds(60)); // a slower server's older use
    assertThat(tokens.findById(t.id()).orElseThrow().lastUsedAt()).isEqualTo(T0.plusSeconds(120));
  }

  @Test
  void theListShowsTheNewestFirstUpToTheLimit() throws Exception {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ApiToken t = token("t" + i, T0.plusSeconds(i));
      tokens.insert(t, sha256("jpt_" + i));
      ids.add(0, t.id());
    }

    assertThat(tokens.list(3))
        .extracting(ApiToken::id)
        .containsExactlyElementsOf(ids.subList(0, 3));
  }

  @Test
  void anIssuedTokenAuthenticatesUntilItIsRevoked() {
    ApiTokensService service = new ApiTokensService(tokens, Clock.fixed(T0, ZoneOffset.UTC));
    Caller admin = Caller.admin("admin");
    var issued =
        service.issue(
            admin,
            IssueTokenCommand.forever(
                new TokenGrant("etl-worker", Set.of(Role.WORKER), Set.of("etl"))));

    assertThat(service.authenticate(issued.secret()))
        .contains(new Caller("etl-worker", Set.of(Role.WORKER), Set.of("etl")));
    assertThat(tokens.findById(issued.token().id()).orElseThrow().lastUsedAt()).isEqualTo(T0);

    service.revoke(admin, issued.token().id());
    assertThat(service.authenticate(issued.secret())).isEmpty();
  }
}
