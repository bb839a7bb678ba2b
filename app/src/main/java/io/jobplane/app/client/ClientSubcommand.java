package io.jobplane.app.client;

import io.jobplane.client.ApiClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A subcommand of a command group ({@code tokens list}, {@code graph get}): what they share. */
abstract class ClientSubcommand implements Callable<Integer>, ClientCommand {

  @Mixin ClientOptions options;
  @Spec CommandSpec spec;

  @Override
  public ClientOptions options() {
    return options;
  }

  ApiClient apiClient() {
    return options.connection().apiClient();
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** A group ({@code jobplane tokens}, {@code jobplane graph}) run alone prints its usage. */
  abstract static class Group implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getErr());
      return ExitCodes.USAGE;
    }
  }
}
