package io.jobplane.app.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The client's contexts, like kubeconfig's: each names a server and the file its token is in (never
 * the token itself), and one is current. Kept in {@code ~/.config/jobplane/config.yaml}, or where
 * {@code JOBPLANE_CONFIG} points.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientConfig(
    @JsonProperty("current-context") String currentContext,
    @JsonProperty("contexts") Map<String, Context> contexts) {

  public static final String CONFIG_ENV = "JOBPLANE_CONFIG";

  static final ObjectMapper YAML =
      JsonMapper.builder(
              new YAMLFactory()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  /** One context: where the server is and which file holds its token. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Context(
      @JsonProperty("server") String server, @JsonProperty("token-file") String tokenFile) {}

  public ClientConfig {
    contexts = contexts == null ? Map.of() : Map.copyOf(new TreeMap<>(contexts));
  }

  public static ClientConfig empty() {
    return new ClientConfig(null, Map.of());
  }

  /** The file: {@code $JOBPLANE_CONFIG}, else {@code $XDG_CONFIG_HOME/jobplane/config.yaml}. */
  public static Path location(Map<String, String> env) {
    String explicit = env.get(CONFIG_ENV);
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = env.get("XDG_CONFIG_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".config");
    return base.resolve("jobplane").resolve("config.yaml");
  }

  public static ClientConfig read(Path file) {
    if (!Files.exists(file)) {
      return empty();
    }
    try {
      ClientConfig config = YAML.readValue(file.toFile(), ClientConfig.class);
      return config == null ? empty() : config;
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.USAGE, "cannot read " + file + ": " + JobFiles.oneLine(e), e);
    }
  }

  public void write(Path file) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      YAML.writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.ERROR, "cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  public ClientConfig withContext(String name, Context context) {
    Map<String, Context> all = new TreeMap<>(contexts);
    all.put(name, context);
    return new ClientConfig(currentContext == null ? name : currentContext, all);
  }

  public ClientConfig using(String name) {
    if (!contexts.containsKey(name)) {
      throw new CliFailure(
          ExitCodes.USAGE, "no context '" + name + "' (known: " + contexts.keySet() + ")");
    }
    return new ClientConfig(name, contexts);
  }
}
