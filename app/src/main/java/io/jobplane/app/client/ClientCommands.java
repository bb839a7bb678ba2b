package io.jobplane.app.client;

import io.jobplane.app.CliErrors;
import java.io.PrintWriter;
import java.net.URI;
import picocli.CommandLine;

/**
 * Adds the client commands to the {@code jobplane} command line and gives them one-line errors: an
 * unknown flag, a bad value or a failed call prints one line on stderr and exits with a documented
 * code (docs/cli.md); {@code --debug} adds the stack trace. The server-side commands keep the
 * handlers they had.
 */
public final class ClientCommands {

  private ClientCommands() {}

  public static CommandLine install(CommandLine root) {
    for (Object command :
        new Object[] {
          new SubmitCommand(),
          new ListCommand(),
          new GetCommand(),
          new EventsCommand(),
          new LogsCommand(),
          new ControlCommands.Stop(),
          new ControlCommands.Restart(),
          new ControlCommands.Suspend(),
          new ControlCommands.Resume(),
          new ControlCommands.Delete(),
          new WaitCommand(),
          new TokensCommand(),
          new LimitsCommand(),
          new GraphCommand(),
          new ConfigCommand()
        }) {
      root.addSubcommand(command);
    }
    CommandLine.IParameterExceptionHandler usage = root.getParameterExceptionHandler();
    root.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine failed = ex.getCommandLine();
          if (!isClient(failed)) {
            return usage.handleParseException(ex, args);
          }
          PrintWriter err = failed.getErr();
          String name = failed.getCommandSpec().qualifiedName();
          err.println(name + ": " + ex.getMessage() + " (see " + name + " --help)");
          err.flush();
          return ExitCodes.USAGE;
        });
    CommandLine.IExecutionExceptionHandler execution = root.getExecutionExceptionHandler();
    root.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (!(commandLine.getCommand() instanceof ClientCommand client)) {
            if (execution != null) {
              return execution.handleExecutionException(ex, commandLine, parseResult);
            }
            throw ex;
          }
          return report(ex, client, commandLine, CliErrors.debug(parseResult));
        });
    return root;
  }

  private static boolean isClient(CommandLine commandLine) {
    for (CommandLine c = commandLine; c != null; c = c.getParent()) {
      if (c.getCommand() instanceof ClientCommand) {
        return true;
      }
    }
    return false;
  }

  private static int report(
      Exception ex, ClientCommand client, CommandLine commandLine, boolean debug) {
    URI server;
    try {
      server = client.options().connection().server();
    } catch (RuntimeException unresolvable) {
      server = URI.create(ClientOptions.DEFAULT_SERVER);
    }
    CliFailure failure = Failures.describe(ex, server);
    PrintWriter err = commandLine.getErr();
    // "jobplane tokens create: …", not "create: …"
    err.println(commandLine.getCommandSpec().qualifiedName() + ": " + failure.getMessage());
    if (debug) {
      ex.printStackTrace(err);
    }
    err.flush();
    return failure.exitCode();
  }
}
