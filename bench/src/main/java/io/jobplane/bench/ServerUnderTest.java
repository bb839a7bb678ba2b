package io.jobplane.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The running server a benchmark measures, as the bench scripts name it (a Picocli mixin). */
final class ServerUnderTest {

  @Option(names = "--base-url", required = true)
  String baseUrl;

  @Option(names = "--token-file", required = true)
  Path tokenFile;

  BenchApi api() throws IOException {
    return new BenchApi(baseUrl, Files.readString(tokenFile).strip());
  }
}
