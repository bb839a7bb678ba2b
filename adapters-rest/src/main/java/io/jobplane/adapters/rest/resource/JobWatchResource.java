package io.jobplane.adapters.rest.resource;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.jobplane.adapters.rest.dto.TelemetryResponses.LogLineResponse;
import io.jobplane.adapters.rest.dto.TelemetryResponses.WatchEvent;
import io.jobplane.adapters.rest.json.JsonMapping;
import io.jobplane.application.port.in.LiveStreamsUseCase;
import io.jobplane.application.port.in.LiveStreamsUseCase.EventWatch;
import io.jobplane.application.port.in.LiveStreamsUseCase.LogFollow;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.FeedEvent;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.query.LabelSelector;
import io.jobplane.domain.query.StreamFilter;
import io.jobplane.domain.telemetry.LogFilter;
import io.jobplane.domain.telemetry.LogLevel;
import io.jobplane.domain.telemetry.LogLine;
import io.jobplane.domain.telemetry.Stored;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.time.Instant;
import java.util.Set;

/**
 * Live streams as server-sent events, chosen by {@code Accept: text/event-stream} (JSON stays the
 * default of each path): timeline events of every visible job ({@code GET /api/v1/jobs}, with the
 * list's filters) or of one job ({@code GET /api/v1/jobs/{id}/events}), and a job's log lines
 * ({@code GET /api/v1/jobs/{id}/logs}, also with {@code ?follow=true}). The SSE id is the store id
 * of the event or line, so {@code Last-Event-ID} resumes exactly after the last one seen.
 *
 * <p>The method only checks the request and registers the stream; {@link LiveStreamsUseCase} pushes
 * to it from its own threads, so an open stream holds no request thread.
 */
@Path("/api/v1/jobs")
@Singleton
public class JobWatchResource {

  /** Quality below JSON's, so clients that accept anything keep getting JSON. */
  static final String SSE = MediaType.SERVER_SENT_EVENTS + ";qs=0.1";

  private static final ObjectWriter EVENTS = JsonMapping.mapper().writerFor(WatchEvent.class);
  private static final ObjectWriter LINES = JsonMapping.mapper().writerFor(LogLineResponse.class);

  @Inject private LiveStreamsUseCase live;

  /**
   * Why the stream takes neither {@code expand} nor {@code fields}: each event is one change, read
   * from the timeline feed for every listener at once; expanding it would read tasks per event per
   * listener, the per-row cost expand exists to avoid.
   */
  static final String NOT_ITEMS =
      "the event stream sends timeline events (one change each), not list items; read the job"
          + " (GET /api/v1/jobs/{id}) or the list when an event calls for it";

  /** The list's filters that apply to a stream of changes. */
  public static final class StreamParams {
    @QueryParam("project")
    String project;

    @QueryParam("status")
    String status;

    @QueryParam("type")
    String type;

    @QueryParam("queue")
    String queue;

    @QueryParam("labels")
    String labels;

    // the JSON list's item parameters, declared to be refused with why rather than as unknown
    @QueryParam("expand")
    String expand;

    @QueryParam("fields")
    String fields;

    StreamFilter toFilter() {
      Params p = new Params();
      Set<JobStatus> statuses = p.statuses("status", status);
      LabelSelector selector = p.parse("labels", () -> LabelSelector.parse(labels));
      if (expand != null) {
        p.error("expand", NOT_ITEMS + "; expand applies to the JSON list");
      }
      if (fields != null) {
        p.error("fields", NOT_ITEMS + "; fields applies to the JSON list");
      }
      p.check();
      return new StreamFilter(
          statuses, blankToNull(project), blankToNull(type), blankToNull(queue), selector);
    }
  }

  @GET
  @Produces(SSE)
  @Operation(hidden = true) // documented on the JSON operation of the same path
  public void watchAll(
      @BeanParam StreamParams params,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @Context SecurityContext security,
      @Context SseEventSink sink,
      @Context Sse sse)
      throws IOException {
    long after =
        lastEventId == null || lastEventId.isBlank() ? EventWatch.NOW : lastEventId(lastEventId);
    watch(security, EventWatch.everyJob(params.toFilter(), after), sink, sse);
  }

  @GET
  @Path("{id}/events")
  @Produces(SSE)
  @Operation(hidden = true) // documented on the JSON operation of the same path
  public void watchJob(
      @PathParam("id") String id,
      @QueryParam("until") String until,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @Context SecurityContext security,
      @Context SseEventSink sink,
      @Context Sse sse)
      throws IOException {
    Params p = new Params();
    JobId jobId = p.parse("id", () -> JobId.parse(id));
    boolean untilFinished = untilFinished(until);
    if (until != null && !untilFinished) {
      p.error("until", "must be 'finished'");
    }
    p.check();
    watch(security, EventWatch.oneJob(jobId, lastEventId(lastEventId), untilFinished), sink, sse);
  }

  @GET
  @Path("{id}/logs")
  @Produces(SSE)
  @Operation(hidden = true) // documented on the JSON operation of the same path
  public void followLogs(
      @PathParam("id") String id,
      @QueryParam("level") String level,
      @QueryParam("task_index") String taskIndex,
      @QueryParam("operator_id") String operatorId,
      @QueryParam("since") String since,
      @QueryParam("until") String until,
      @QueryParam("tail") String tail,
      @QueryParam("follow") String follow,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @Context SecurityContext security,
      @Context SseEventSink sink,
      @Context Sse sse)
      throws IOException {
    Params p = new Params();
    JobId jobId = p.parse("id", () -> JobId.parse(id));
    LogLevel lvl = p.wireName("level", LogLevel.class, level);
    Integer task = p.integer("task_index", taskIndex, 0, Integer.MAX_VALUE);
    Instant from = p.instant("since", since);
    boolean untilFinished = untilFinished(until);
    Instant to = untilFinished ? null : p.instant("until", until);
    Integer lines = p.integer("tail", tail, 0, LogFollow.MAX_TAIL);
    if (follow != null && !follow.equalsIgnoreCase("true") && !follow.equalsIgnoreCase("false")) {
      p.error("follow", "must be true or false");
    }
    long after = lastEventId(lastEventId);
    if (after > 0 && lines != null) {
      p.error("tail", "cannot be combined with Last-Event-ID: the stream resumes after it");
    }
    p.check();
    LogFilter filter =
        p.parse(
            "logs",
            () -> new LogFilter(lvl, task, operatorId, from, to, LogFilter.MAX_LIMIT, after));
    p.check();
    SseStreamSink<Stored<LogLine>> out =
        new SseStreamSink<>(sink, sse, "log", LINES, LogLineResponse::from, Stored::id);
    live.follow(Callers.of(security), new LogFollow(jobId, filter, lines, untilFinished), out);
    out.open();
  }

  /** Registers first (a refusal is still an ordinary problem answer), then commits the stream. */
  private void watch(SecurityContext security, EventWatch watch, SseEventSink sink, Sse sse)
      throws IOException {
    SseStreamSink<FeedEvent> out =
        new SseStreamSink<>(sink, sse, "job_event", EVENTS, WatchEvent::from, FeedEvent::id);
    live.watch(Callers.of(security), watch, out);
    out.open();
  }

  /** {@code until=finished} ends the stream with an {@code end} event once the job finishes. */
  static boolean untilFinished(String until) {
    return "finished".equalsIgnoreCase(until == null ? null : until.trim());
  }

  static long lastEventId(String header) {
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
    throw DomainException.invalid("Last-Event-ID", "must be an id this server sent");
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
