package io.jobplane.app;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How a command that fails tells its user: one line on stderr, {@code jobplane <command>: <what
 * went wrong>}, and a non-zero exit code; the stack trace only with {@code --debug}. Picocli calls
 * these handlers for every command, so the commands throw and never print errors themselves.
 *
 * <p>Exit codes: {@value #FAILED} when the command ran and failed, {@value #USAGE} when the command
 * line is wrong (picocli's own convention).
 */
public final class CliErrors implements IExecutionExceptionHandler, IParameterExceptionHandler {

  static final int FAILED = 1;
  static final int USAGE = 2;

  static final String DEBUG_OPTION = "--debug";

  @Override
  public int handleExecutionException(
      Exception exception, CommandLine command, ParseResult parseResult) {
    PrintWriter err = command.getErr();
    err.println(prefix(command) + describe(exception));
    if (debug(parseResult)) {
      exception.printStackTrace(err);
    }
    err.flush();
    return FAILED;
  }

  @Override
  public int handleParseException(ParameterException exception, String[] args) {
    CommandLine command = exception.getCommandLine();
    PrintWriter err = command.getErr();
    String hint = " (see '" + command.getCommandSpec().qualifiedName() + " --help')";
    String suggestion = "";
    if (exception instanceof UnmatchedArgumentException unmatched
        && !unmatched.getSuggestions().isEmpty()) {
      suggestion = "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?";
    }
    err.println(prefix(command) + exception.getMessage() + suggestion + hint);
    if (java.util.Arrays.asList(args).contains(DEBUG_OPTION)) {
      exception.printStackTrace(err);
    }
    err.flush();
    return USAGE;
  }

  /** One line that says what went wrong in the user's terms; never a secret's value. */
  static String describe(Throwable exception) {
    Throwable e = exception;
    while (e instanceof UncheckedIOException && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof NoSuchFileException f) {
      return f.getFile() + ": no such file";
    }
    if (e instanceof AccessDeniedException f) {
      return f.getFile() + ": permission denied";
    }
    if (e instanceof FileSystemException f) {
      return f.getFile() + ": " + (f.getReason() == null ? "cannot be read" : f.getReason());
    }
    if (e instanceof BindException) {
      return "the address is in use (use --port): " + e.getMessage();
    }
    if (e instanceof ConnectException) {
      return "cannot reach the server: connection refused";
    }
    if (e instanceof HttpTimeoutException) {
      return "the server did not answer in time";
    }
    if (e instanceof UnknownHostException) {
      return "unknown host " + e.getMessage();
    }
    if (e instanceof IllegalArgumentException && e.getMessage() != null) {
      return e.getMessage(); // the commands' own checks, written for the user
    }
    String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return firstLine(what) + " (" + DEBUG_OPTION + " shows the stack trace)";
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  private static String prefix(CommandLine command) {
    return command.getCommandSpec().qualifiedName() + ": ";
  }

  /** Whether {@code --debug} was given, to the root command or any subcommand. */
  public static boolean debug(ParseResult parseResult) {
    for (ParseResult r = parseResult; r != null; r = r.subcommand()) {
      if (r.hasMatchedOption(DEBUG_OPTION)) {
        return true;
      }
    }
    return false;
  }
}
