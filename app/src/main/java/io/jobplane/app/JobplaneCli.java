package io.jobplane.app;

import io.jobplane.app.client.ClientCommands;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Entry point of the runnable jar: {@code java -jar jobplane.jar <command>}. */
@Command(
    name = "jobplane",
    mixinStandardHelpOptions = true,
    versionProvider = JobplaneCli.Version.class,
    description = "Jobplane: one place to submit, run, watch and control asynchronous jobs.",
    subcommands = {
      ServeCommand.class,
      OperatorCommand.class,
      CreateTokenCommand.class,
      WorkerCommand.class,
      CrdsCommand.class
    })
public final class JobplaneCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = CliErrors.DEBUG_OPTION,
      scope = ScopeType.INHERIT,
      description = "On an error, print the stack trace too (default: one line).")
  boolean debug;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CliErrors errors = new CliErrors();
    // the client commands answer their own errors and hand the server commands' to CliErrors
    return ClientCommands.install(
            new CommandLine(new JobplaneCli())
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors))
        .setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The project version and git commit the build wrote into {@code version.properties}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties build = new Properties();
      try (InputStream in = JobplaneCli.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          build.load(in);
        }
      }
      String version = filled(build, "version");
      String commit = filled(build, "commit");
      return new String[] {
        "jobplane "
            + (version == null ? "development build" : version)
            + (commit == null ? "" : " (commit " + commit + ")")
      };
    }

    /** A property the build filled in; null when it was not built in a git checkout, say. */
    private static String filled(Properties build, String key) {
      String value = build.getProperty(key);
      return value == null || value.isBlank() || value.startsWith("${") ? null : value.strip();
    }
  }
}
