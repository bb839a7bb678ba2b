package io.jobplane.app.client;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of a submit from a file ({@code submit}, {@code graph submit}), and its output. */
final class SubmitOptions {

  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "FILE",
      description = "a YAML or JSON file (job.yaml, graph.json); unknown fields are an error")
  Path file;

  @Option(
      names = "--idempotency-key",
      paramLabel = "KEY",
      description = "Submitting again with the same key answers what the first submit created")
  String idempotencyKey;

  @Option(
      names = {"-w", "--watch"},
      description = "Follow it until it finishes (exit code as for wait --for=finished)")
  boolean watch;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "id (default), json or yaml")
  String output = "id";

  /** What was created, as --output asks: its id (announced when watched), JSON or YAML. */
  void print(PrintWriter out, Object id, Object created) {
    switch (output) {
      case "json" -> Output.structured(out, Output.Format.json, created);
      case "yaml" -> Output.structured(out, Output.Format.yaml, created);
      case "id" -> out.println(watch ? "submitted " + id : id);
      default ->
          throw new CliFailure(
              ExitCodes.USAGE, "--output must be id, json or yaml, not '" + output + "'");
    }
    out.flush();
  }
}
