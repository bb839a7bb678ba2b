package io.jobplane.app.client;

import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** {@code -o yaml|json} of the commands that print one object (get, graph get, tokens get). */
final class StructuredOutputOption {

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "yaml (default) or json")
  Output.Format output = Output.Format.yaml;

  /** Prints {@code value} as asked; anything but json is yaml. */
  void print(PrintWriter out, Object value) {
    Output.structured(
        out, output == Output.Format.json ? Output.Format.json : Output.Format.yaml, value);
  }
}
