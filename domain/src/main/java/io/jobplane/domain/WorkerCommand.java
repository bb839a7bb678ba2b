package io.jobplane.domain;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a worker runs for a job: the program and its arguments ({@code argv}, 1..256 entries, each
 * at most 8 KiB of UTF-8) and extra environment variables: plain ones ({@code env}) and references
 * to secrets of the job's project ({@code secretEnv}, resolved only for the lease holder), at most
 * 128 together, names like {@code [A-Za-z_][A-Za-z0-9_]*}, plain values at most 8 KiB. A name is
 * either plain or a reference, never both.
 */
public record WorkerCommand(
    List<String> argv, Map<String, String> env, Map<String, SecretRef> secretEnv) {

  public static final int MAX_ARGS = 256;
  public static final int MAX_ENV = 128;
  public static final int MAX_ENTRY_BYTES = 8 * 1024;
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** A command without secret references. */
  public WorkerCommand(List<String> argv, Map<String, String> env) {
    this(argv, env, null);
  }

  public WorkerCommand {
    if (argv == null || argv.isEmpty()) {
      throw DomainException.invalid("command", "must hold at least the program to run");
    }
    if (argv.size() > MAX_ARGS) {
      throw DomainException.invalid("command", "must have at most " + MAX_ARGS + " entries");
    }
    List<String> args = new ArrayList<>(argv.size());
    for (int i = 0; i < argv.size(); i++) {
      String arg = argv.get(i);
      String field = "command[" + i + "]";
      if (arg == null) {
        throw DomainException.invalid(field, "must be a string");
      }
      if (arg.indexOf('\0') >= 0) {
        throw DomainException.invalid(field, "must not contain NUL characters");
      }
      if (arg.getBytes(StandardCharsets.UTF_8).length > MAX_ENTRY_BYTES) {
        throw DomainException.invalid(field, "must be at most " + MAX_ENTRY_BYTES + " bytes");
      }
      args.add(arg);
    }
    if (args.get(0).isBlank()) {
      throw DomainException.invalid("command[0]", "must name the program to run");
    }
    argv = List.copyOf(args);
    Map<String, String> vars = new TreeMap<>();
    if (env != null) {
      if (env.size() > MAX_ENV) {
        throw DomainException.invalid("env", "must have at most " + MAX_ENV + " entries");
      }
      for (Map.Entry<String, String> e : env.entrySet()) {
        String key = e.getKey();
        if (key == null || !ENV_NAME.matcher(key).matches()) {
          throw DomainException.invalid(
              "env", "'" + key + "' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)");
        }
        String value = Objects.requireNonNullElse(e.getValue(), "");
        if (value.indexOf('\0') >= 0
            || value.getBytes(StandardCharsets.UTF_8).length > MAX_ENTRY_BYTES) {
          throw DomainException.invalid(
              "env." + key, "must be at most " + MAX_ENTRY_BYTES + " bytes without NUL");
        }
        vars.put(key, value);
      }
    }
    env = java.util.Collections.unmodifiableMap(vars);
    secretEnv = secretEnv(secretEnv, "env", env.keySet(), MAX_ENV - env.size());
  }

  /**
   * Validates references to secrets by variable name: names like {@link #ENV_NAME}, none of {@code
   * taken} (the plain variables), at most {@code room}. Returns them sorted and unmodifiable.
   */
  static Map<String, SecretRef> secretEnv(
      Map<String, SecretRef> refs, String field, java.util.Set<String> taken, int room) {
    Map<String, SecretRef> sorted = new TreeMap<>();
    if (refs == null) {
      return java.util.Collections.unmodifiableMap(sorted);
    }
    if (refs.size() > room) {
      throw DomainException.invalid(field, "must have at most " + MAX_ENV + " entries");
    }
    for (Map.Entry<String, SecretRef> e : refs.entrySet()) {
      String key = e.getKey();
      if (key == null || !ENV_NAME.matcher(key).matches()) {
        throw DomainException.invalid(
            field, "'" + key + "' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)");
      }
      if (taken.contains(key)) {
        throw DomainException.invalid(field + "." + key, "is both a value and a secret reference");
      }
      sorted.put(key, Objects.requireNonNull(e.getValue(), "secret reference"));
    }
    return java.util.Collections.unmodifiableMap(sorted);
  }

  /** Whether any variable is a reference to a secret. */
  public boolean referencesSecrets() {
    return !secretEnv.isEmpty();
  }
}
