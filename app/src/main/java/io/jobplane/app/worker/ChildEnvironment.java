package io.jobplane.app.worker;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a job's process gets from the worker's own environment: only the variables of an allow-list,
 * never the rest. The worker's environment holds what the worker needs and the job must not see
 * (its token in {@code JOBPLANE_TOKEN}, cloud credentials, whatever its service manager set); any
 * submitter of a job could print it. The child starts from an empty environment plus these values,
 * then the job's {@code env}, then the {@code JOBPLANE_*} variables of its lease ({@link
 * ChildProcess}).
 *
 * @param passed the allow-listed variables and their values, as the worker had them
 */
public record ChildEnvironment(Map<String, String> passed) {

  /** Passed whatever {@code --pass-env} says: what almost every command needs to run at all. */
  public static final List<String> DEFAULT_PASS = List.of("PATH", "HOME", "LANG", "TZ");

  /** The worker's own token variable: never passed, even when named. */
  public static final String TOKEN_VARIABLE = "JOBPLANE_TOKEN";

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public ChildEnvironment {
    passed = Map.copyOf(passed);
  }

  /**
   * The allow-list {@link #DEFAULT_PASS} plus {@code extraNames} ({@code --pass-env}, which extends
   * the default rather than replacing it, so naming one variable never loses {@code PATH}), with
   * their values from {@code workerEnvironment}; names the worker does not have are left out.
   *
   * @throws IllegalArgumentException for a name that is no variable name, or for {@value
   *     #TOKEN_VARIABLE}
   */
  public static ChildEnvironment of(
      Map<String, String> workerEnvironment, Collection<String> extraNames) {
    Set<String> names = new LinkedHashSet<>(DEFAULT_PASS);
    for (String name : extraNames) {
      String n = name.strip();
      if (!NAME.matcher(n).matches()) {
        throw new IllegalArgumentException(
            "--pass-env: '" + name + "' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)");
      }
      if (n.equals(TOKEN_VARIABLE)) {
        throw new IllegalArgumentException(
            "--pass-env: " + TOKEN_VARIABLE + " is the worker's token; it never reaches a job");
      }
      names.add(n);
    }
    Map<String, String> passed = new LinkedHashMap<>();
    for (String n : names) {
      String value = workerEnvironment.get(n);
      if (value != null) {
        passed.put(n, value);
      }
    }
    return new ChildEnvironment(passed);
  }

  /** The default allow-list from this process's environment. */
  public static ChildEnvironment ofWorker() {
    return of(System.getenv(), List.of());
  }
}
