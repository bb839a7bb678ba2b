package io.jobplane.domain;

import java.util.regex.Pattern;

/**
 * An environment variable whose value is one key of a named secret of the job's project: {@code
 * {"secret": "db", "key": "password"}} on the wire. The reference itself is not secret (it is shown
 * to whoever may see the job); the value it names is resolved only for the holder of a lease (a
 * worker job) or by the pod from a Kubernetes Secret of that name (a Kubernetes job).
 */
public record SecretRef(String secret, String key) {

  /** A DNS label, so the same name is valid for a Kubernetes Secret. */
  public static final int MAX_NAME = 63;

  public static final int MAX_KEY = 253;
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public SecretRef {
    name(secret, "secret");
    key(key, "key");
  }

  /** Validates a secret's name: a DNS label (lower-case letters, digits, '-'; at most 63). */
  public static String name(String name, String field) {
    if (name == null || name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
      throw DomainException.invalid(
          field,
          "must be a DNS label: 1 to "
              + MAX_NAME
              + " lower-case letters, digits and '-', starting and ending with a letter or digit");
    }
    return name;
  }

  /** Validates a key of a secret: an environment variable name, at most 253 characters. */
  public static String key(String key, String field) {
    if (key == null || key.length() > MAX_KEY || !KEY.matcher(key).matches()) {
      throw DomainException.invalid(
          field, "must be 1 to " + MAX_KEY + " characters like an environment variable name");
    }
    return key;
  }
}
