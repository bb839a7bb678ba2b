package io.jobplane.adapters.rest.resource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.jobplane.application.port.in.LiveStreamsUseCase;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live stream's connection: items become SSE events (id, name, JSON data) on a JAX-RS {@link
 * SseEventSink}, which holds no request thread while idle. A peer that went away is an ordinary end
 * of the stream, logged at DEBUG without a stack trace.
 */
final class SseStreamSink<T> implements LiveStreamsUseCase.Sink<T> {

  static final long RECONNECT_DELAY_MILLIS = 2_000;
  private static final Logger log = LoggerFactory.getLogger(SseStreamSink.class);
  private static final long WRITE_TIMEOUT_SECONDS = 30;

  private final SseEventSink sink;
  private final Sse sse;
  private final String name;
  private final ObjectWriter writer;
  private final Function<T, Object> body;
  private final ToLongFunction<T> id;

  SseStreamSink(
      SseEventSink sink,
      Sse sse,
      String name,
      ObjectWriter writer,
      Function<T, Object> body,
      ToLongFunction<T> id) {
    this.sink = sink;
    this.sse = sse;
    this.name = name;
    this.writer = writer;
    this.body = body;
    this.id = id;
  }

  /** The first bytes of the stream: commits the response and sets the client's retry delay. */
  void open() throws IOException {
    write(sse.newEventBuilder().reconnectDelay(RECONNECT_DELAY_MILLIS).comment("open").build());
  }

  @Override
  public void send(T item) throws IOException {
    String json;
    try {
      json = writer.writeValueAsString(body.apply(item));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stream items are always serializable", e);
    }
    write(
        sse.newEventBuilder()
            .id(Long.toString(id.applyAsLong(item)))
            .name(name)
            .mediaType(MediaType.APPLICATION_JSON_TYPE)
            .data(String.class, json)
            .build());
  }

  @Override
  public void heartbeat() throws IOException {
    write(sse.newEventBuilder().comment("keep-alive").build());
  }

  @Override
  public void end() throws IOException {
    write(
        sse.newEventBuilder()
            .name("end")
            .mediaType(MediaType.APPLICATION_JSON_TYPE)
            .data(String.class, "{\"reason\":\"finished\"}")
            .build());
  }

  @Override
  public void close() {
    try {
      sink.close();
    } catch (RuntimeException e) {
      log.debug("closing a live stream: {}", e.toString());
    }
  }

  // the request thread opens the stream while the delivery thread may already send
  private synchronized void write(OutboundSseEvent event) throws IOException {
    if (sink.isClosed()) {
      throw new IOException("the stream is closed");
    }
    try {
      sink.send(event).toCompletableFuture().get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      log.debug("live stream peer went away: {}", e.getCause() == null ? e : e.getCause());
      throw new IOException("the peer went away", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (IllegalStateException e) {
      throw new IOException("the stream is closed", e);
    }
  }
}
