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
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;

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

  /** Columns padded to their widest cell, headers first. */
  static Table table(PrintWriter out, List<String> headers, List<List<String>> rows) {
    return table(out, headers, rows, List.of());
  }

  /**
   * As {@link #table(PrintWriter, List, List)}, each column at least as wide as {@code minimums}
   * says (by position; fewer entries than columns is fine): room for the cells of rows to come.
   */
  static Table table(
      PrintWriter out, List<String> headers, List<List<String>> rows, List<Integer> minimums) {
    Table table = new Table(headers, rows, minimums);
    List<List<String>> all = new ArrayList<>();
    all.add(headers);
    all.addAll(rows);
    table.print(out, all);
    return table;
  }

  /**
   * Column widths fixed by a first set of rows (picocli's text table), so that rows printed later,
   * as {@code list -w} does, line up under the same headers. A longer cell spans into the next
   * column rather than wrapping.
   */
  static final class Table {
    private static final int GAP = 3;
    private static final int LAST_COLUMN_ROOM = 60;
    private final int[] widths;

    Table(List<String> headers, List<List<String>> rows, List<Integer> minimums) {
      widths = new int[headers.size()];
      for (int i = 0; i < minimums.size() && i < widths.length; i++) {
        widths[i] = minimums.get(i);
      }
      List<List<String>> all = new ArrayList<>();
      all.add(headers);
      all.addAll(rows);
      for (List<String> row : all) {
        for (int i = 0; i < row.size(); i++) {
          widths[i] = Math.max(widths[i], cell(row.get(i)).length());
        }
      }
    }

    void print(PrintWriter out, List<List<String>> rows) {
      Column[] columns = new Column[widths.length];
      for (int i = 0; i < widths.length; i++) {
        boolean last = i == widths.length - 1;
        // room in the last column for a longer cell of a later row, which would wrap otherwise
        int width = last ? Math.max(widths[i], LAST_COLUMN_ROOM) : widths[i] + GAP;
        columns[i] = new Column(width, 0, Column.Overflow.SPAN);
      }
      TextTable text = TextTable.forColumns(Help.defaultColorScheme(Help.Ansi.OFF), columns);
      for (List<String> row : rows) {
        text.addRowValues(row.stream().map(Output::cell).toArray(String[]::new));
      }
      text.toString().lines().map(String::stripTrailing).forEach(out::println);
      out.flush();
    }
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
