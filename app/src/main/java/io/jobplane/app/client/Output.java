package io.jobplane.app.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** How the client commands print: JSON or YAML of the API's answer, or an aligned text table. */
final class Output {

  enum Format {
    table,
    wide,
    json,
    yaml
  }

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  private static final ObjectMapper YAML =
      JsonMapper.builder(
              new YAMLFactory()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  private Output() {}

  static void structured(PrintWriter out, Format format, Object value) {
    try {
      if (format == Format.yaml) {
        out.print(YAML.writeValueAsString(value));
      } else {
        out.println(JSON.writeValueAsString(value));
      }
      out.flush();
    } catch (JsonProcessingException e) {
      throw new CliFailure(
          ExitCodes.ERROR, "cannot print the answer: " + e.getOriginalMessage(), e);
    }
  }

  /** Columns padded to their widest cell; the last column is not padded. */
  static void table(PrintWriter out, List<String> headers, List<List<String>> rows) {
    List<List<String>> all = new ArrayList<>();
    all.add(headers);
    all.addAll(rows);
    int[] widths = new int[headers.size()];
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], cell(row.get(i)).length());
      }
    }
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String c = cell(row.get(i));
        line.append(c);
        if (i < row.size() - 1) {
          line.append(" ".repeat(widths[i] - c.length() + 3));
        }
      }
      out.println(line.toString().stripTrailing());
    }
    out.flush();
  }

  private static String cell(String value) {
    return value == null || value.isEmpty() ? "-" : value.replace('\n', ' ');
  }

  /** How long ago, the way kubectl prints AGE: 45s, 12m, 3h, 2d. */
  static String age(OffsetDateTime time, OffsetDateTime now) {
    if (time == null) {
      return "";
    }
    Duration d = Duration.between(time, now);
    if (d.isNegative()) {
      d = Duration.ZERO;
    }
    if (d.toMinutes() < 2) {
      return d.toSeconds() + "s";
    }
    if (d.toHours() < 2) {
      return d.toMinutes() + "m";
    }
    return d.toDays() < 2 ? d.toHours() + "h" : d.toDays() + "d";
  }
}
