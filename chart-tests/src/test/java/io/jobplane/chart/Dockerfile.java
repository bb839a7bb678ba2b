package io.jobplane.chart;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository's Dockerfile read into its stages; only the instructions the checks need. */
record Dockerfile(List<Stage> stages) {

  /** One {@code FROM} and the instructions after it, continuation lines joined. */
  record Stage(String image, Optional<String> name, List<Instruction> instructions) {

    List<String> arguments(String keyword) {
      return instructions.stream()
          .filter(i -> i.keyword().equals(keyword))
          .map(Instruction::arguments)
          .toList();
    }

    Optional<String> last(String keyword) {
      List<String> all = arguments(keyword);
      return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }
  }

  record Instruction(String keyword, String arguments) {}

  private static final Pattern FROM = Pattern.compile("(?i)(\\S+)(?:\\s+AS\\s+(\\S+))?");

  Dockerfile {
    stages = List.copyOf(stages);
  }

  static Dockerfile read(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Dockerfile parse(String text) {
    List<Stage> stages = new ArrayList<>();
    List<Instruction> current = null;
    StringBuilder pending = new StringBuilder();
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (pending.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      String instruction = pending.append(trimmed).toString();
      pending.setLength(0);
      String[] parts = instruction.split("\\s+", 2);
      String keyword = parts[0].toUpperCase();
      String arguments = parts.length > 1 ? parts[1] : "";
      if (keyword.equals("FROM")) {
        Matcher from = FROM.matcher(arguments);
        if (!from.matches()) {
          throw new IllegalArgumentException("FROM " + arguments);
        }
        current = new ArrayList<>();
        stages.add(new Stage(from.group(1), Optional.ofNullable(from.group(2)), current));
      } else if (current == null) {
        throw new IllegalArgumentException(keyword + " before the first FROM");
      } else {
        current.add(new Instruction(keyword, arguments));
      }
    }
    return new Dockerfile(stages);
  }

  Stage last() {
    return stages.get(stages.size() - 1);
  }

  Stage named(String name) {
    return stages.stream()
        .filter(s -> s.name().filter(name::equals).isPresent())
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no stage " + name));
  }

  /** An exec-form instruction ({@code ["java", "-jar", ...]}) as its argument list. */
  static List<String> execForm(String arguments) {
    try {
      return new ObjectMapper().readValue(arguments, new TypeReference<List<String>>() {});
    } catch (IOException e) {
      throw new IllegalArgumentException("not exec form: " + arguments, e);
    }
  }
}
