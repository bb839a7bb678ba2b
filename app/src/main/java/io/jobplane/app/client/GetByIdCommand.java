package io.jobplane.app.client;

import io.jobplane.client.ApiException;
import java.util.UUID;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * A command that prints the one object the API has under an id ({@code get}, {@code tokens get}).
 */
abstract class GetByIdCommand extends ApiCommand {

  @Parameters(paramLabel = "ID")
  UUID id;

  @Mixin StructuredOutputOption output;

  abstract Object fetch(UUID id) throws ApiException;

  @Override
  public Integer call() throws Exception {
    output.print(out(), fetch(id));
    return ExitCodes.OK;
  }
}
