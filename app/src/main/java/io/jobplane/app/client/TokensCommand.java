package io.jobplane.app.client;

import io.jobplane.client.ApiException;
import io.jobplane.client.api.TokensApi;
import io.jobplane.client.model.CreateTokenRequest;
import io.jobplane.client.model.IssuedToken;
import io.jobplane.client.model.Token;
import io.jobplane.client.model.TokenList;
import java.io.PrintWriter;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jobplane tokens}: the API tokens an admin issues to people, CI systems and workers ({@code
 * /api/v1/tokens}). The secret of a new token is printed once, alone on stdout, so that {@code
 * jobplane tokens create ci --role submitter > ci.token} stores it and nothing else; the server
 * keeps only its hash and no other command can show it again.
 */
@Command(
    name = "tokens",
    description = "Issue, list and revoke API tokens (admin).",
    subcommands = {
      TokensCommand.ListTokens.class,
      TokensCommand.GetToken.class,
      TokensCommand.Create.class,
      TokensCommand.Revoke.class
    })
final class TokensCommand extends ApiCommand.Group {

  /** What the token subcommands share. */
  abstract static class Base extends ApiCommand {
    TokensApi tokens() {
      return new TokensApi(apiClient());
    }
  }

  @Command(name = "list", aliases = "ls", description = "Every token, newest first; no secrets.")
  static final class ListTokens extends Base {
    @Mixin TableOutputOption output;

    @Override
    public Integer call() throws Exception {
      TokenList list = tokens().listTokens();
      OffsetDateTime now = OffsetDateTime.now();
      output.print(
          out(),
          list,
          List.of("ID", "NAME", "ROLES", "PROJECTS", "STATE", "LAST USED", "AGE"),
          () -> {
            List<List<String>> rows = new ArrayList<>();
            for (Token t : list.getItems()) {
              rows.add(
                  List.of(
                      String.valueOf(t.getId()),
                      t.getName(),
                      String.join(",", t.getRoles()),
                      t.getProjects() == null ? "*" : String.join(",", t.getProjects()),
                      state(t, now),
                      t.getLastUsedAt() == null
                          ? "never"
                          : Output.age(t.getLastUsedAt(), now) + " ago",
                      Output.age(t.getCreatedAt(), now)));
            }
            return rows;
          });
      return ExitCodes.OK;
    }

    private static String state(Token t, OffsetDateTime now) {
      if (t.getRevokedAt() != null) {
        return "revoked";
      }
      if (t.getExpiresAt() == null) {
        return "active";
      }
      return t.getExpiresAt().isAfter(now) ? "expires " + t.getExpiresAt() : "expired";
    }
  }

  @Command(name = "get", description = "One token; never its secret.")
  static final class GetToken extends GetByIdCommand {
    @Override
    Token fetch(UUID id) throws ApiException {
      return new TokensApi(apiClient()).getToken(id);
    }
  }

  @Command(
      name = "create",
      description = {
        "Issue a token and print its secret, once, alone on stdout.",
        "Example: jobplane tokens create etl-ci --role submitter --project analytics"
            + " --expires-in 90d > etl-ci.token"
      })
  static final class Create extends Base {
    @Parameters(paramLabel = "NAME", description = "who uses it; becomes created_by of its jobs")
    String name;

    @Option(
        names = "--role",
        required = true,
        paramLabel = "ROLE",
        split = ",",
        description = "viewer, submitter, worker, metrics or admin (repeatable)")
    List<String> roles;

    @Option(
        names = "--project",
        paramLabel = "PROJECT",
        split = ",",
        description = "limit the token to these projects (repeatable; default: every project)")
    List<String> projects;

    @Option(
        names = "--expires-in",
        paramLabel = "DURATION",
        description = "e.g. 12h, 90d (default: never)")
    String expiresIn;

    @Override
    public Integer call() throws Exception {
      CreateTokenRequest request = new CreateTokenRequest().name(name).roles(roles);
      if (projects != null) {
        request.projects(projects);
      }
      if (expiresIn != null) {
        request.expiresInSeconds(WaitCommand.parseDuration("--expires-in", expiresIn).toSeconds());
      }
      IssuedToken issued = tokens().issueToken(request);
      out().println(issued.getToken());
      out().flush();
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "token "
              + issued.getName()
              + " ("
              + issued.getId()
              + ") issued; its secret is shown only this once");
      err.flush();
      return ExitCodes.OK;
    }
  }

  @Command(name = "revoke", description = "Revoke a token: it stops working at once.")
  static final class Revoke extends Base {
    @Parameters(paramLabel = "ID")
    UUID id;

    @Override
    public Integer call() throws Exception {
      tokens().revokeToken(id);
      out().println(id + " revoked");
      out().flush();
      return ExitCodes.OK;
    }
  }
}
