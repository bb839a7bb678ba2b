package io.jobplane.app;

import io.jobplane.app.client.ClientCommands;
import picocli.CommandLine;
import picocli.CommandLine.Command;

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
      WorkerCommand.class
    })
public final class JobplaneCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return ClientCommands.install(new CommandLine(new JobplaneCli()))
        .setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = JobplaneCli.class.getPackage().getImplementationVersion();
      return new String[] {"jobplane " + (v == null ? "development build" : v)};
    }
  }
}
