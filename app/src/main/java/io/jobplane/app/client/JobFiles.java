package io.jobplane.app.client;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.jobplane.client.model.JobGraphNodeRequest;
import io.jobplane.client.model.JobGraphRequest;
import io.jobplane.client.model.SubmitJobRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Reads a job file (YAML, or JSON, which is YAML too) into the SDK's submit request. Unknown fields
 * are an error here, before anything is sent: a misspelt {@code comand} would otherwise submit a
 * job that no worker can run.
 */
final class JobFiles {

  private static final ObjectMapper STRICT =
      JsonMapper.builder(new YAMLFactory())
          .addModule(new JavaTimeModule())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  private JobFiles() {}

  static SubmitJobRequest read(Path file) {
    return withoutEmptyCommand(read(file, SubmitJobRequest.class));
  }

  /** A job graph file, each node's job read like a job file. */
  static JobGraphRequest readGraph(Path file) {
    JobGraphRequest graph = read(file, JobGraphRequest.class);
    if (graph.getNodes() != null) {
      graph.getNodes().stream()
          .map(JobGraphNodeRequest::getJob)
          .filter(Objects::nonNull)
          .forEach(JobFiles::withoutEmptyCommand);
    }
    return graph;
  }

  /**
   * The SDK starts every list and map empty and sends them as they are: a file without a command
   * would send {@code command: []} and {@code env: {}}, which the server rightly refuses. A job
   * file without them means none.
   */
  private static SubmitJobRequest withoutEmptyCommand(SubmitJobRequest job) {
    if (job.getCommand() != null && job.getCommand().isEmpty()) {
      job.setCommand(null);
    }
    if (job.getEnv() != null && job.getEnv().isEmpty()) {
      job.setEnv(null);
    }
    return job;
  }

  /** A file of the SDK's {@code type} (a job, a job graph). */
  static <T> T read(Path file, Class<T> type) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new CliFailure(ExitCodes.USAGE, file + ": no such file");
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.USAGE, file + ": cannot read (" + e.getMessage() + ")", e);
    }
    try {
      T request = STRICT.readValue(text, type);
      if (request == null) {
        throw new CliFailure(ExitCodes.USAGE, file + ": the file is empty");
      }
      return request;
    } catch (JsonProcessingException e) {
      throw new CliFailure(ExitCodes.USAGE, file + ": " + oneLine(e), e);
    }
  }

  /** A parse error as one line: what is wrong, where, and for unknown fields what is known. */
  static String oneLine(Exception e) {
    if (e instanceof UnrecognizedPropertyException u) {
      String known =
          u.getKnownPropertyIds() == null
              ? ""
              : " (known: "
                  + u.getKnownPropertyIds().stream()
                      .map(Object::toString)
                      .sorted()
                      .collect(Collectors.joining(", "))
                  + ")";
      return "unknown field '" + u.getPropertyName() + "'" + where(u.getLocation()) + known;
    }
    if (e instanceof JsonProcessingException p) {
      return p.getOriginalMessage().lines().findFirst().orElse("invalid").strip()
          + where(p.getLocation());
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static String where(JsonLocation location) {
    return location == null || location.getLineNr() < 1
        ? ""
        : String.format(Locale.ROOT, " at line %d", location.getLineNr());
  }
}
