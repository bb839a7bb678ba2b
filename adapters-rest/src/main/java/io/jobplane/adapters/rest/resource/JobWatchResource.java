package io.jobplane.adapters.rest.resource;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jobplane.adapters.rest.dto.TelemetryResponses.WatchEvent;
import io.jobplane.adapters.rest.json.JsonMapping;
import io.jobplane.application.port.in.WatchJobsUseCase;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.FeedEvent;
import io.jobplane.domain.JobId;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Providers;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.util.List;
import org.glassfish.jersey.media.sse.OutboundEvent;
import org.glassfish.jersey.server.ServerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live watch: timeline events as server-sent events, for one job ({@code GET
 * /api/v1/jobs/{id}/events}) or every visible job ({@code GET /api/v1/jobs}), chosen by {@code
 * Accept: text/event-stream} (JSON stays the default of both paths). The SSE id is the store-wide
 * event id, so {@code Last-Event-ID} resumes exactly after the last event seen.
 *
 * <p>The HTTP server (the JDK's) cannot suspend requests, so the stream is written by the request
 * thread: poll the store every {@value #DEFAULT_POLL_MILLIS} ms for a bounded batch, send a
 * keep-alive comment when idle, and stop when a write fails (the client went away) or the thread is
 * interrupted (shutdown). Events are framed by jersey-media-sse's writer.
 */
@Path("/api/v1/jobs")
public class JobWatchResource {

  /** Jersey property: milliseconds between polls of the store. */
  public static final String POLL_MILLIS = "jobplane.watch.poll-millis";

  /** Jersey property: milliseconds of silence after which a keep-alive comment is sent. */
  public static final String KEEP_ALIVE_MILLIS = "jobplane.watch.keep-alive-millis";

  public static final int DEFAULT_POLL_MILLIS = 500;
  public static final int DEFAULT_KEEP_ALIVE_MILLIS = 15_000;
  static final int BATCH = 100;
  private static final int DEFAULT_RESPONSE_BUFFER = 8192; // Jersey's default
  static final long RECONNECT_DELAY_MILLIS = 2_000;

  /** Quality below JSON's, so clients that accept anything keep getting JSON. */
  private static final String SSE = MediaType.SERVER_SENT_EVENTS + ";qs=0.1";

  private static final Logger log = LoggerFactory.getLogger(JobWatchResource.class);
  private static final Annotation[] NONE = new Annotation[0];

  @Inject private WatchJobsUseCase watch;
  @Context private SecurityContext security;
  @Context private Providers providers;
  @Context private Configuration configuration;

  @GET
  @Produces(SSE)
  @Operation(hidden = true) // documented on the JSON operation of the same path
  public Response watchAll(@HeaderParam("Last-Event-ID") String lastEventId) {
    return stream(null, lastEventId);
  }

  @GET
  @Path("{id}/events")
  @Produces(SSE)
  @Operation(hidden = true) // documented on the JSON operation of the same path
  public Response watchJob(
      @PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId) {
    Params p = new Params();
    JobId jobId = p.parse("id", () -> JobId.parse(id));
    p.check();
    return stream(jobId, lastEventId);
  }

  private Response stream(JobId jobId, String lastEventId) {
    Caller caller = Callers.of(security);
    long after = lastEventId(lastEventId);
    watch.requireWatchable(caller, jobId); // 403/404 as a problem, before the stream starts
    MessageBodyWriter<OutboundEvent> writer =
        providers.getMessageBodyWriter(
            OutboundEvent.class, OutboundEvent.class, NONE, MediaType.SERVER_SENT_EVENTS_TYPE);
    long poll = setting(POLL_MILLIS, DEFAULT_POLL_MILLIS);
    long keepAlive = setting(KEEP_ALIVE_MILLIS, DEFAULT_KEEP_ALIVE_MILLIS);
    int padding =
        (int) setting(ServerProperties.OUTBOUND_CONTENT_LENGTH_BUFFER, DEFAULT_RESPONSE_BUFFER) + 1;
    StreamingOutput body =
        out -> {
          try {
            // Jersey buffers a response until it outgrows the content-length buffer and only
            // then sends the headers; padding the first comment past it commits the stream, so
            // every later flush reaches the client at once.
            write(
                writer,
                out,
                new OutboundEvent.Builder()
                    .reconnectDelay(RECONNECT_DELAY_MILLIS)
                    .comment("watching" + " ".repeat(padding))
                    .build());
            long cursor = after;
            long lastWrite = System.nanoTime();
            while (!Thread.currentThread().isInterrupted()) {
              List<FeedEvent> batch = watch.eventsAfter(caller, jobId, cursor, BATCH);
              for (FeedEvent e : batch) {
                write(writer, out, event(e));
                cursor = e.id();
              }
              if (!batch.isEmpty()) {
                lastWrite = System.nanoTime();
              } else if ((System.nanoTime() - lastWrite) / 1_000_000 >= keepAlive) {
                write(writer, out, new OutboundEvent.Builder().comment("keep-alive").build());
                lastWrite = System.nanoTime();
              }
              if (batch.size() < BATCH) {
                Thread.sleep(poll);
              }
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (IOException e) {
            log.debug("watch stream closed by the client: {}", e.toString());
          } catch (DomainException e) {
            // the job was deleted or the caller lost access: end the stream
            log.debug("watch stream ended: {}", e.getMessage());
          }
        };
    return Response.ok(body, MediaType.SERVER_SENT_EVENTS_TYPE)
        .header("Cache-Control", "no-cache")
        .header("X-Accel-Buffering", "no")
        .build();
  }

  private static OutboundEvent event(FeedEvent e) {
    String json;
    try {
      json = JsonMapping.mapper().writeValueAsString(WatchEvent.from(e));
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("watch events are always serializable", ex);
    }
    return new OutboundEvent.Builder()
        .id(Long.toString(e.id()))
        .name("job_event")
        .mediaType(MediaType.APPLICATION_JSON_TYPE)
        .data(String.class, json)
        .build();
  }

  private static void write(
      MessageBodyWriter<OutboundEvent> writer, OutputStream out, OutboundEvent event)
      throws IOException {
    writer.writeTo(
        event,
        OutboundEvent.class,
        OutboundEvent.class,
        NONE,
        MediaType.SERVER_SENT_EVENTS_TYPE,
        new MultivaluedHashMap<>(),
        out);
    // the blank line that ends an event (Jersey's SSE sink adds it as its chunk delimiter)
    out.write('\n');
    out.flush();
  }

  private static long lastEventId(String header) {
    if (header == null || header.isBlank()) {
      return 0;
    }
    try {
      long id = Long.parseLong(header.trim());
      if (id >= 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw DomainException.invalid("Last-Event-ID", "must be an event id this server sent");
  }

  private long setting(String name, long fallback) {
    Object value = configuration == null ? null : configuration.getProperty(name);
    if (value instanceof Number n) {
      return n.longValue();
    }
    return value == null ? fallback : Long.parseLong(value.toString());
  }
}
