package io.jobplane.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every {@code jobplane.io} resource a reader may copy from the repository: fenced {@code yaml}
 * blocks in the Markdown docs, YAML files under {@code examples/}, the manifest the operator
 * benchmark applies, the first Job in the chart's NOTES, and inline spec settings written as {@code
 * `spec.field: value`}, which become a minimal resource with that one setting.
 */
final class ResourceExamples {

  /** Where an example comes from, and the resource it shows. */
  record Example(String source, JsonNode resource) {
    @Override
    public String toString() {
      return source;
    }
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern FENCE_OPEN = Pattern.compile("^(\\s*)```ya?ml\\s*$");
  private static final Pattern FENCE_CLOSE = Pattern.compile("^\\s*```\\s*$");
  private static final Pattern INLINE_SPEC =
      Pattern.compile("`spec\\.([A-Za-z][A-Za-z0-9]*(?:\\.[A-Za-z][A-Za-z0-9]*)*): ?([^`]+)`");

  /** A resource that the CRD accepts, for inline settings to be tried on. */
  static final String MINIMAL =
      """
      apiVersion: jobplane.io/v1
      kind: Job
      metadata:
        name: example
      spec:
        type: example
        podTemplate:
          spec:
            containers:
              - name: main
                image: busybox:1.36
      """;

  private ResourceExamples() {}

  static List<Example> all() {
    List<Example> examples = new ArrayList<>();
    for (Path markdown : markdownFiles()) {
      examples.addAll(fromMarkdown(relative(markdown), read(markdown)));
    }
    for (Path yaml : yamlFiles()) {
      examples.addAll(documents(relative(yaml), read(yaml)));
    }
    for (ValueSet values : ValueSet.all()) {
      examples.add(
          new Example(
              "charts/jobplane/templates/NOTES.txt (values " + values + ")",
              YAML.valueToTree(Notes.firstJob(HelmChart.notes(values)))));
    }
    return examples;
  }

  /** The {@code jobplane.io} resources in a Markdown text: fenced yaml blocks and inline specs. */
  static List<Example> fromMarkdown(String source, String text) {
    List<Example> examples = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Matcher open = FENCE_OPEN.matcher(lines[i]);
      if (open.matches()) {
        int start = i + 1;
        StringBuilder block = new StringBuilder();
        for (i = start; i < lines.length && !FENCE_CLOSE.matcher(lines[i]).matches(); i++) {
          block.append(lines[i]).append('\n');
        }
        examples.addAll(documents(source + ":" + start, block.toString().stripIndent()));
        continue;
      }
      Matcher inline = INLINE_SPEC.matcher(lines[i]);
      while (inline.find()) {
        examples.add(
            new Example(
                source + ":" + (i + 1) + " `spec." + inline.group(1) + ": " + inline.group(2) + "`",
                withSpec(inline.group(1), inline.group(2))));
      }
    }
    return examples;
  }

  /** {@link #MINIMAL} with {@code spec.<path>} set to {@code value} (read as YAML). */
  /** A {@code JobSchedule} that its CRD accepts: {@link #MINIMAL}'s spec every night at 3. */
  static ObjectNode aJobSchedule() {
    try {
      ObjectNode job = (ObjectNode) YAML.readTree(MINIMAL);
      ObjectNode schedule = YAML.createObjectNode();
      schedule.put("apiVersion", job.path("apiVersion").asText()).put("kind", "JobSchedule");
      schedule.putObject("metadata").put("name", "nightly");
      ObjectNode spec = schedule.putObject("spec").put("schedule", "0 3 * * *");
      spec.putObject("jobTemplate").set("spec", job.get("spec"));
      return schedule;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode withSpec(String path, String value) {
    try {
      ObjectNode resource = (ObjectNode) YAML.readTree(MINIMAL);
      ObjectNode parent = resource.withObjectProperty("spec");
      String[] names = path.split("\\.");
      for (int i = 0; i < names.length - 1; i++) {
        parent = parent.withObjectProperty(names[i]);
      }
      parent.set(names[names.length - 1], YAML.readTree(value));
      return resource;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The documents of a YAML text whose apiVersion is in the jobplane.io group. */
  private static List<Example> documents(String source, String yaml) {
    List<Example> examples = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(yaml)) {
      var documents = YAML.readValues(parser, JsonNode.class);
      int n = 0;
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        n++;
        if (document != null && document.path("apiVersion").asText().startsWith("jobplane.io/")) {
          examples.add(new Example(source + (n > 1 ? " (document " + n + ")" : ""), document));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(source + " is not YAML: " + e.getMessage(), e);
    }
    return examples;
  }

  private static List<Path> markdownFiles() {
    List<Path> files = new ArrayList<>();
    files.add(HelmChart.REPO_ROOT.resolve("README.md"));
    files.add(HelmChart.DIRECTORY.resolve("README.md"));
    files.addAll(under(HelmChart.REPO_ROOT.resolve("docs"), ".md"));
    files.addAll(under(HelmChart.REPO_ROOT.resolve("examples"), ".md"));
    return files.stream().filter(Files::isRegularFile).toList();
  }

  private static List<Path> yamlFiles() {
    List<Path> files = new ArrayList<>();
    files.addAll(under(HelmChart.REPO_ROOT.resolve("examples"), ".yaml"));
    files.addAll(under(HelmChart.REPO_ROOT.resolve("examples"), ".yml"));
    files.addAll(under(HelmChart.REPO_ROOT.resolve("bench/src/main/resources"), ".yaml"));
    return files;
  }

  private static List<Path> under(Path directory, String suffix) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(directory)) {
      return walk.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String relative(Path file) {
    return HelmChart.REPO_ROOT.relativize(file).toString();
  }
}
