package io.jobplane.app.client;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "config",
    description = {
      "Contexts: named servers with the file their token is in, like kubeconfig's.",
      "Kept in ~/.config/jobplane/config.yaml ($JOBPLANE_CONFIG to use another file).",
      "$JOBPLANE_SERVER and $JOBPLANE_TOKEN override the current context; --server and"
          + " --token-file override both."
    },
    subcommands = {
      ConfigCommand.View.class,
      ConfigCommand.CurrentContext.class,
      ConfigCommand.UseContext.class,
      ConfigCommand.SetContext.class
    })
final class ConfigCommand implements Callable<Integer>, ClientCommand {

  private final ClientOptions options = new ClientOptions();
  @Spec CommandSpec spec;

  @Override
  public ClientOptions options() {
    return options;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return ExitCodes.OK;
  }

  /** What the config subcommands share: the file and printing. */
  abstract static class Sub implements Callable<Integer>, ClientCommand {
    private final ClientOptions options = new ClientOptions();
    @Spec CommandSpec spec;

    @Override
    public ClientOptions options() {
      return options;
    }

    Path file() {
      return ClientConfig.location(System.getenv());
    }

    PrintWriter out() {
      return spec.commandLine().getOut();
    }
  }

  @Command(name = "view", description = "Print the config file (token files, never tokens).")
  static final class View extends Sub {
    @Override
    public Integer call() {
      out().println("# " + file());
      Output.structured(out(), Output.Format.yaml, ClientConfig.read(file()));
      return ExitCodes.OK;
    }
  }

  @Command(name = "current-context", description = "Print the current context's name.")
  static final class CurrentContext extends Sub {
    @Override
    public Integer call() {
      String current = ClientConfig.read(file()).currentContext();
      if (current == null) {
        throw new CliFailure(ExitCodes.USAGE, "no current context in " + file());
      }
      out().println(current);
      out().flush();
      return ExitCodes.OK;
    }
  }

  @Command(name = "use-context", description = "Make a context the current one.")
  static final class UseContext extends Sub {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      ClientConfig.read(file()).using(name).write(file());
      out().println("current context: " + name);
      out().flush();
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "set-context",
      description = "Add or replace a context (the first one added becomes current).")
  static final class SetContext extends Sub {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--server", required = true, paramLabel = "URL")
    String server;

    @Option(
        names = "--token-file",
        paramLabel = "FILE",
        description = "The file the token is in; the token itself is never stored here")
    Path tokenFile;

    @Override
    public Integer call() {
      ClientConfig.read(file())
          .withContext(
              name,
              new ClientConfig.Context(
                  server, tokenFile == null ? null : tokenFile.toAbsolutePath().toString()))
          .write(file());
      out().println("context " + name + ": " + server);
      out().flush();
      return ExitCodes.OK;
    }
  }
}
