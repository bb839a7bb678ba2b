package io.jobplane.app.client;

import io.jobplane.client.api.JobsApi;
import io.jobplane.client.api.TelemetryApi;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Options every client command shares: which server, which token, how loud. A token is taken from a
 * file or the environment, never from the command line, where {@code ps} and shell history would
 * show it.
 */
public final class ClientOptions {

  public static final String SERVER_ENV = "JOBPLANE_SERVER";
  public static final String TOKEN_ENV = "JOBPLANE_TOKEN";
  static final String DEFAULT_SERVER = "http://localhost:8080";

  /** Where {@code jobplane serve} run in this folder writes its admin token. */
  static final Path LOCAL_ADMIN_TOKEN = Path.of(".jobplane", "admin.token");

  @Option(
      names = "--server",
      paramLabel = "URL",
      description =
          "The API server (default: $JOBPLANE_SERVER, else the current context's, else "
              + DEFAULT_SERVER
              + ").")
  String server;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "A file holding the API token (default: $JOBPLANE_TOKEN, else the context's token file,"
              + " else .jobplane/admin.token when present).")
  Path tokenFile;

  @Option(
      names = "--context",
      paramLabel = "NAME",
      description = "A context of the config file instead of the current one.")
  String context;

  Map<String, String> env = System.getenv();
  Path workingDirectory = Path.of("");

  public Connection connection() {
    ClientConfig.Context ctx = context();
    String url = firstOf(server, env.get(SERVER_ENV), ctx == null ? null : ctx.server());
    URI uri;
    try {
      uri = URI.create(url == null ? DEFAULT_SERVER : url);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException("no scheme or host");
      }
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCodes.USAGE, "invalid server URL '" + url + "'");
    }
    if (tokenFile != null) {
      return new Connection(uri, readToken(tokenFile, "--token-file"), "--token-file");
    }
    String fromEnv = env.get(TOKEN_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new Connection(uri, fromEnv.strip(), "$" + TOKEN_ENV);
    }
    if (ctx != null && ctx.tokenFile() != null) {
      return new Connection(
          uri, readToken(Path.of(ctx.tokenFile()), "the context's token-file"), "context");
    }
    // the admin token `jobplane serve` left here goes to a server on this machine only: sent to
    // whatever --server names, it would hand the local admin's rights to another host
    Path local = workingDirectory.resolve(LOCAL_ADMIN_TOKEN);
    if (isLoopback(uri) && Files.isReadable(local)) {
      return new Connection(uri, readToken(local, "token file"), LOCAL_ADMIN_TOKEN.toString());
    }
    return new Connection(uri, null, "none");
  }

  public JobsApi jobs() {
    return new JobsApi(connection().apiClient());
  }

  public TelemetryApi telemetry() {
    return new TelemetryApi(connection().apiClient());
  }

  private ClientConfig.Context context() {
    ClientConfig config = ClientConfig.read(ClientConfig.location(env));
    String name = context != null ? context : config.currentContext();
    if (name == null) {
      return null;
    }
    ClientConfig.Context ctx = config.contexts().get(name);
    if (ctx == null && context != null) {
      throw new CliFailure(
          ExitCodes.USAGE,
          "no context '" + name + "' in " + ClientConfig.location(env) + " (jobplane config view)");
    }
    return ctx;
  }

  private static String readToken(Path file, String what) {
    try {
      String token = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw new CliFailure(ExitCodes.USAGE, what + " " + file + " is empty");
      }
      return token;
    } catch (NoSuchFileException e) {
      throw new CliFailure(ExitCodes.USAGE, what + " " + file + " does not exist");
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.USAGE, "cannot read " + what + " " + file, e);
    }
  }

  private static boolean isLoopback(URI uri) {
    String host = uri.getHost();
    return host.equals("localhost")
        || host.equals("127.0.0.1")
        || host.equals("[::1]")
        || host.equals("::1");
  }

  private static String firstOf(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v.strip();
      }
    }
    return null;
  }
}
