package io.jobplane.app.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One of the API's server-sent event streams ({@code logs?follow=true}, the jobs watch), read until
 * the listener has seen enough. The generated SDK has no SSE support, so the stream is read here,
 * over the same connection settings. A stream cut short (a restarted server, a proxy's idle
 * timeout) is opened again with {@code Last-Event-ID}, the id of the last event seen, so nothing is
 * printed twice or lost; after {@value #RECONNECTS} cuts in a row with no event in between (about
 * 30 s of backing off), the command gives up.
 */
final class EventStream {

  /** One dispatched event: its {@code event:} name ("message" when none), id and data. */
  record Event(String name, Long id, String data) {}

  @FunctionalInterface
  interface Listener {
    /** Handles one event; false ends the stream. */
    boolean onEvent(Event event) throws IOException;
  }

  static final int RECONNECTS = 5;
  private static final Duration PAUSE = Duration.ofSeconds(1);

  private final Connection connection;
  private final HttpClient http;

  EventStream(Connection connection) {
    this.connection = connection;
    // a plain HTTP/1.1 stream, as the server serves it: no h2c upgrade round trip first
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  /**
   * Reads the stream at {@code pathAndQuery.apply(lastEventId)} (0 before any event) until the
   * listener returns false. {@code onOpen} runs once, when the first connection has been accepted:
   * from then on the server keeps every event for this stream, so what the caller reads in {@code
   * onOpen} (a list, a page of lines) misses nothing that happens later.
   */
  void follow(LongFunction<String> pathAndQuery, Runnable onOpen, Listener listener)
      throws IOException, InterruptedException {
    long lastId = 0;
    int cutsInARow = 0;
    boolean opened = false;
    IOException lastCut = null;
    while (true) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(
                  URI.create(
                      connection.server().toString().replaceAll("/+$", "")
                          + pathAndQuery.apply(lastId)))
              .header("Accept", "text/event-stream");
      if (connection.token() != null) {
        request.header("Authorization", "Bearer " + connection.token());
      }
      if (lastId > 0) {
        request.header("Last-Event-ID", Long.toString(lastId));
      }
      boolean sawEvent = false;
      try {
        HttpResponse<Stream<String>> response =
            http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
          String body;
          try (Stream<String> lines = response.body()) {
            body = lines.collect(Collectors.joining("\n"));
          }
          throw Failures.fromProblem(response.statusCode(), body, null);
        }
        if (!opened) {
          opened = true;
          onOpen.run();
        }
        try (Stream<String> lines = response.body()) {
          Parser parser = new Parser();
          for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
            Event event = parser.line(it.next());
            if (event == null) {
              continue;
            }
            sawEvent = true;
            if (event.id() != null) {
              lastId = event.id();
            }
            if (!listener.onEvent(event)) {
              return;
            }
          }
        } catch (UncheckedIOException cut) {
          // the line iterator's way of saying the connection broke
          throw cut.getCause();
        }
      } catch (IOException cut) {
        if (!opened) {
          throw cut; // never connected: the server is down, which Failures says in a line
        }
        lastCut = cut;
      }
      cutsInARow = sawEvent ? 1 : cutsInARow + 1;
      if (cutsInARow > RECONNECTS) {
        throw new CliFailure(
            ExitCodes.SERVER_ERROR,
            "the event stream ended "
                + RECONNECTS
                + " times in a row without an event"
                + (lastCut == null ? "" : " (" + lastCut.getMessage() + ")"),
            lastCut);
      }
      // 1, 2, 4, 8, 16 s: enough for a restarting server to come back
      Thread.sleep(PAUSE.toMillis() << (cutsInARow - 1));
    }
  }

  /**
   * The event-stream format (WHATWG HTML, "server-sent events"): fields until a blank line, which
   * dispatches; lines starting with ':' are comments (the server's keep-alives).
   */
  static final class Parser {
    private String name = "message";
    private Long id;
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;

    /** The event this line completes, or null. */
    Event line(String line) {
      if (line.isEmpty()) {
        if (!hasData) {
          name = "message";
          return null;
        }
        Event event = new Event(name, id, data.toString());
        name = "message";
        data.setLength(0);
        hasData = false;
        return event;
      }
      if (line.startsWith(":")) {
        return null;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "event" -> name = value;
        case "data" -> {
          if (hasData) {
            data.append('\n');
          }
          data.append(value);
          hasData = true;
        }
        case "id" -> id = parseId(value);
        default -> {
          // "retry" and unknown fields: nothing the client needs
        }
      }
      return null;
    }

    private static Long parseId(String value) {
      try {
        return Long.parseLong(value.trim());
      } catch (NumberFormatException e) {
        return null; // the server's ids are numbers; anything else cannot be resumed from
      }
    }
  }
}
