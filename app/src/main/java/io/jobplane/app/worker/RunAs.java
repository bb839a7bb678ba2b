package io.jobplane.app.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The OS user job processes run as ({@code --run-as}), when it is not the worker's own: a child of
 * another user cannot read the worker's token file (0600) nor {@code /proc/<worker>/environ}, which
 * an empty environment alone does not prevent. The worker must run as root for this; each command
 * is started through util-linux's {@code setpriv}, which sets the real and effective user and group
 * ids and the user's supplementary groups, then executes the command (nothing stays in between).
 *
 * @param user the user's name, as given
 * @param uid its user id
 * @param gid its primary group id
 * @param home its home directory, the child's {@code HOME} (the worker's own is not the child's)
 */
public record RunAs(String user, long uid, long gid, String home) {

  private static final String SETPRIV = "setpriv";

  /**
   * Looks {@code user} up ({@code getent passwd}) and proves that this worker can start a process
   * as it (runs {@code setpriv ... -- true}).
   *
   * @throws IllegalArgumentException naming the cause: no such user, no {@code setpriv}, or a
   *     worker that is not root
   */
  public static RunAs resolve(String user) {
    if (user == null || !user.matches("[A-Za-z_][A-Za-z0-9_.-]{0,31}")) {
      throw new IllegalArgumentException("--run-as: '" + user + "' is not a user name");
    }
    Result passwd = run(List.of("getent", "passwd", user));
    String[] fields = passwd.out().strip().split(":", -1);
    if (passwd.exit() != 0 || fields.length < 7) {
      throw new IllegalArgumentException("--run-as: no user " + user + " on this host");
    }
    RunAs runAs = new RunAs(user, Long.parseLong(fields[2]), Long.parseLong(fields[3]), fields[5]);
    Result probe = run(runAs.wrap(List.of("true")));
    if (probe.exit() != 0) {
      throw new IllegalArgumentException(
          "--run-as "
              + user
              + ": cannot start a process as that user ("
              + probe.out().strip()
              + "); the worker must run as root with setpriv (util-linux) on its PATH");
    }
    return runAs;
  }

  /** {@code argv}, started as this user. */
  public List<String> wrap(List<String> argv) {
    List<String> wrapped = new ArrayList<>();
    wrapped.add(SETPRIV);
    wrapped.add("--reuid=" + uid);
    wrapped.add("--regid=" + gid);
    wrapped.add("--init-groups");
    wrapped.add("--");
    wrapped.addAll(argv);
    return wrapped;
  }

  private record Result(int exit, String out) {}

  private static Result run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, command.get(0) + " did not finish");
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }
}
