package io.jobplane.app.client;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * {@code -o table|json|yaml} of the commands that print a list without wide columns (events, tokens
 * list); {@code list} has its own, with {@code wide}.
 */
final class TableOutputOption {

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "table (default), json or yaml")
  Output.Format output = Output.Format.table;

  /**
   * The API's answer as JSON or YAML if asked, else the table: {@code rows} is only built for it.
   */
  void print(
      PrintWriter out, Object answer, List<String> headers, Supplier<List<List<String>>> rows) {
    if (output == Output.Format.json || output == Output.Format.yaml) {
      Output.structured(out, output, answer);
    } else {
      Output.table(out, headers, rows.get());
    }
  }
}
