package io.jobplane.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What a user sees when a command fails: one line and an exit code, the trace on --debug. */
class CliErrorsTest {

  private static final Pattern URL = Pattern.compile("[a-z][a-z0-9+.-]*(:[a-z]+)?://[^\\s]+");

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = JobplaneCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private List<String> errLines() {
    return err.toString().lines().filter(l -> !l.isBlank()).toList();
  }

  @Test
  void aPortInUseIsOneLineAndTheDatabaseNeverStarts() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = taken.getLocalPort();

      int exit =
          run("serve", "--host", "127.0.0.1", "--port", "" + port, "--data-dir", dir.toString());

      assertThat(exit).isEqualTo(CliErrors.FAILED);
      assertThat(errLines())
          .containsExactly("jobplane serve: port " + port + " is in use (use --port)");
      assertThat(dir.resolve("postgres")).as("checked before the database starts").doesNotExist();
    }
  }

  @Test
  void theOperatorChecksItsPortFirstToo() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = taken.getLocalPort();

      int exit =
          run("operator", "--host", "127.0.0.1", "--port", "" + port, "--data-dir", dir.toString());

      assertThat(exit).isEqualTo(CliErrors.FAILED);
      assertThat(errLines())
          .containsExactly("jobplane operator: port " + port + " is in use (use --port)");
    }
  }

  @Test
  void aMissingTokenFileIsOneLineNamingTheFile() {
    Path missing = dir.resolve("worker.token");

    int exit = run("worker", "--server", "http://127.0.0.1:1", "--token-file", missing.toString());

    assertThat(exit).isEqualTo(CliErrors.FAILED);
    assertThat(errLines())
        .containsExactly("jobplane worker: --token-file " + missing + ": no such file");
  }

  @Test
  void aTokenFileErrorNeverShowsWhatIsInTheFile() throws Exception {
    Path directory = Files.createDirectory(dir.resolve("token-dir"));
    Path tokens = Files.writeString(dir.resolve("tokens.json"), "{\"tokens\": [jpt_secret");

    run("worker", "--server", "http://127.0.0.1:1", "--token-file", directory.toString());
    run("serve", "--port", "0", "--tokens-file", dir.resolve("nope.json").toString());
    run(
        "create-token",
        "--name",
        "x",
        "--role",
        "admin",
        "--server",
        "http://127.0.0.1:1",
        "--token-file",
        tokens.toString());

    assertThat(errLines()).hasSize(3).noneMatch(l -> l.contains("jpt_secret"));
    assertThat(errLines().get(1))
        .endsWith("--tokens-file " + dir.resolve("nope.json") + ": no such file");
  }

  @Test
  void debugAddsTheStackTrace() {
    run(
        "worker",
        "--server",
        "http://127.0.0.1:1",
        "--token-file",
        dir.resolve("missing").toString(),
        "--debug");

    assertThat(errLines().get(0)).startsWith("jobplane worker: --token-file");
    assertThat(errLines())
        .hasSizeGreaterThan(3)
        .anyMatch(l -> l.strip().startsWith("at io.jobplane"));
  }

  @Test
  void aMistypedOptionIsOneLineWithTheUsageExitCodeAndASuggestion() {
    int exit = run("serve", "--prot=8080");

    assertThat(exit).isEqualTo(CliErrors.USAGE);
    assertThat(errLines())
        .singleElement()
        .asString()
        .startsWith("jobplane serve: Unknown option: '--prot=8080'; did you mean ")
        .endsWith("(see 'jobplane serve --help')");
  }

  @Test
  void anUnexpectedFailureIsOneLineThatPointsToDebug() {
    assertThat(CliErrors.describe(new IllegalStateException("pool closed\n\tdetails")))
        .isEqualTo("pool closed (--debug shows the stack trace)");
    assertThat(CliErrors.describe(new java.net.ConnectException()))
        .isEqualTo("cannot reach the server: connection refused");
  }

  @Test
  void versionNamesTheProjectVersionAndTheCommit() {
    int exit = run("--version");

    assertThat(exit).isZero();
    String version = out.toString().strip();
    assertThat(version)
        .matches("jobplane \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?( \\(commit [0-9a-f]{7,}\\))?");
    if (Files.exists(Path.of("..", ".git"))) {
      assertThat(version).as("built in a git checkout").contains("(commit ");
    }
  }

  @Test
  void helpNeverBreaksAUrlAcrossLines() {
    List<CommandLine> commands = new ArrayList<>();
    CommandLine root = JobplaneCli.commandLine();
    commands.add(root);
    commands.addAll(root.getSubcommands().values());
    int urls = 0;
    for (CommandLine command : commands) {
      String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
      String described = String.join(" ", descriptions(command));
      Matcher url = URL.matcher(described);
      while (url.find()) {
        String whole = url.group().replaceAll("[.,;)]+$", "");
        assertThat(help).as("%s --help", command.getCommandName()).contains(whole);
        urls++;
      }
    }
    assertThat(urls).as("the commands do show URLs").isGreaterThanOrEqualTo(3);
  }

  private static List<String> descriptions(CommandLine command) {
    List<String> text =
        new ArrayList<>(List.of(command.getCommandSpec().usageMessage().description()));
    command.getCommandSpec().options().forEach(o -> text.addAll(List.of(o.description())));
    return text.stream().map(t -> t.replace("%n", " ")).toList();
  }
}
