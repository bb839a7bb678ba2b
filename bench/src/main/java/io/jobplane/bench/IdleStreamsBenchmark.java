package io.jobplane.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What idle live streams cost the server: opens {@code --streams} SSE streams ({@code GET
 * /api/v1/jobs} with {@code Accept: text/event-stream}, one raw socket each, all on the admin
 * token, resuming after the newest event so that nothing is replayed), holds them past a heartbeat,
 * and compares the server process's thread count and resident memory (from /proc) before and after.
 * Issue 10's targets: fewer than 50 more threads, less than 200 MiB more RSS for 1,000 streams.
 * Prints one Markdown table row (bench/http.sh prints the header).
 */
@Command(name = "idle-streams-benchmark", mixinStandardHelpOptions = true)
public final class IdleStreamsBenchmark implements Callable<Integer> {

  private static final int MAX_THREAD_GROWTH = 50;
  private static final long MAX_RSS_GROWTH_KIB = 200 * 1024;

  @Option(names = "--host", defaultValue = "127.0.0.1")
  String host;

  @Option(names = "--port", required = true)
  int port;

  @Option(names = "--token-file", required = true)
  Path tokenFile;

  @Option(names = "--server-pid", required = true)
  long serverPid;

  @Option(names = "--streams", defaultValue = "1000")
  int streams;

  @Option(
      names = "--hold-seconds",
      defaultValue = "20",
      description = "How long the streams stay open before the second reading (past a heartbeat).")
  int holdSeconds;

  @Option(
      names = "--last-event-id",
      defaultValue = "0",
      description =
          "Sent as Last-Event-ID: the newest event id in the store makes the streams idle; without"
              + " it each stream first replays the whole timeline.")
  long lastEventId;

  @Option(names = "--label", defaultValue = "server", description = "First cell of the row.")
  String label;

  public static void main(String[] args) {
    System.exit(new CommandLine(new IdleStreamsBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    String token = Files.readString(tokenFile).strip();
    byte[] request =
        ("GET /api/v1/jobs HTTP/1.1\r\nHost: "
                + host
                + ":"
                + port
                + "\r\nAccept: text/event-stream\r\nAuthorization: Bearer "
                + token
                + (lastEventId > 0 ? "\r\nLast-Event-ID: " + lastEventId : "")
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    ProcStatus before = ProcStatus.read(serverPid);
    List<Socket> open = new ArrayList<>(streams);
    long t0 = System.nanoTime();
    try {
      for (int i = 0; i < streams; i++) {
        open.add(openStream(request, i));
      }
      long openedMillis = (System.nanoTime() - t0) / 1_000_000;
      Thread.sleep(holdSeconds * 1000L);
      ProcStatus after = ProcStatus.read(serverPid);
      int alive = countAlive(open);

      int threads = after.threads() - before.threads();
      long rssKib = after.rssKib() - before.rssKib();
      System.out.printf(
          "| %s | %,d of %,d | %,d ms | %d → %d (%+d) | %.0f → %.0f MiB (%+.0f MiB) | %s |%n",
          label,
          alive,
          streams,
          openedMillis,
          before.threads(),
          after.threads(),
          threads,
          before.rssKib() / 1024.0,
          after.rssKib() / 1024.0,
          rssKib / 1024.0,
          threads < MAX_THREAD_GROWTH && rssKib < MAX_RSS_GROWTH_KIB && alive == streams
              ? "met"
              : "missed");
      return alive == streams ? 0 : 1;
    } finally {
      for (Socket s : open) {
        s.close();
      }
    }
  }

  /** Sends the request and reads until the stream's opening comment: the stream is registered. */
  private Socket openStream(byte[] request, int index) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), 5_000);
    socket.setSoTimeout(10_000);
    OutputStream out = socket.getOutputStream();
    out.write(request);
    out.flush();
    InputStream in = socket.getInputStream();
    StringBuilder seen = new StringBuilder();
    byte[] buffer = new byte[4096];
    while (seen.indexOf(":open") < 0 && seen.indexOf(": open") < 0) {
      int n = in.read(buffer);
      if (n < 0) {
        socket.close();
        throw new IOException("stream " + index + " closed before it opened: " + seen);
      }
      seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
    }
    if (seen.indexOf("HTTP/1.1 200") != 0) {
      socket.close();
      throw new IOException("stream " + index + " was refused: " + seen);
    }
    return socket;
  }

  /** Streams the server has not closed: reading finds heartbeats or nothing yet, never the end. */
  private static int countAlive(List<Socket> sockets) throws IOException {
    int alive = 0;
    byte[] buffer = new byte[4096];
    for (Socket s : sockets) {
      s.setSoTimeout(1);
      try {
        int n = s.getInputStream().read(buffer);
        if (n >= 0) {
          alive++;
        }
      } catch (SocketTimeoutException quiet) {
        alive++;
      }
    }
    return alive;
  }
}
