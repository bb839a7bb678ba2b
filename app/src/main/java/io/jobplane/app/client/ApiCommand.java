package io.jobplane.app.client;

import io.jobplane.client.ApiClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What the commands that call the API share ({@code list}, {@code get}, {@code tokens list}, ...):
 * the connection options, where to print, and the client generated from the OpenAPI spec.
 */
abstract class ApiCommand implements Callable<Integer>, ClientCommand {

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
