package io.jobplane.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobplane.domain.schedule.Schedule;
import io.jobplane.domain.schedule.ScheduleId;
import io.jobplane.domain.schedule.ScheduleResource;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /api/v1/schedules over the real services: the wire model, validation and who sees what. */
class SchedulesApiTest extends ApiTestSupport {

  private static final String SCHEDULES = "api/v1/schedules";

  private static Map<String, Object> nightly() {
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("name", "nightly import");
    job.put("type", "import");
    job.put("project", "etl");
    job.put("command", List.of("import.sh"));
    job.put("env", Map.of("MODE", "full"));
    Map<String, Object> schedule = new LinkedHashMap<>();
    schedule.put("name", "nightly");
    schedule.put("cron", "30 2 * * *");
    schedule.put("time_zone", "Europe/Berlin");
    schedule.put("job", job);
    schedule.put("concurrency_policy", "forbid");
    return schedule;
  }

  private static Map<String, Object> with(String field, Object value) {
    Map<String, Object> s = nightly();
    s.put(field, value);
    return s;
  }

  private JsonNode created(String token, Map<String, Object> schedule) {
    Response r = post(token, SCHEDULES, body(schedule));
    JsonNode json = json(r);
    assertThat(r.getStatus()).as(json.toString()).isEqualTo(201);
    return json;
  }

  @Test
  void aSubmitterCreatesASchedulesThatReadsBackInTheJobsWireModel() {
    Response r = post(ETL, SCHEDULES, body(nightly()));
    JsonNode s = json(r);

    assertThat(r.getStatus()).as(s.toString()).isEqualTo(201);
    assertThat(r.getLocation().getPath()).endsWith("/api/v1/schedules/" + s.get("id").asText());
    assertThat(s.get("project").asText()).isEqualTo("etl");
    assertThat(s.get("time_zone").asText()).isEqualTo("Europe/Berlin");
    assertThat(s.get("concurrency_policy").asText()).isEqualTo("forbid");
    assertThat(s.get("max_catch_up").asInt()).isEqualTo(1);
    assertThat(s.get("successful_jobs_history_limit").asInt()).isEqualTo(3);
    assertThat(s.get("failed_jobs_history_limit").asInt()).isEqualTo(1);
    assertThat(s.get("next_run_time").asText()).isNotBlank();
    assertThat(s.get("last_job").isNull()).isTrue();
    assertThat(s.at("/job/command/0").asText()).isEqualTo("import.sh");
    assertThat(s.at("/job/max_attempts").asInt()).isEqualTo(3);

    JsonNode read = json(get(ETL, SCHEDULES + "/" + s.get("id").asText()));
    assertThat(read.get("name").asText()).isEqualTo("nightly");
    JsonNode listed = json(get(VIEWER, SCHEDULES + "?project=etl"));
    assertThat(listed.at("/items/0/id").asText()).isEqualTo(s.get("id").asText());
    // env is where users put credentials: a viewer sees that it is there, not what it is
    assertThat(listed.at("/items/0/job/env/MODE").asText()).isEqualTo("***");
  }

  @Test
  void aBadCronIs400NamingCron() {
    JsonNode p = problem(post(ETL, SCHEDULES, body(with("cron", "61 * * * *"))), 400);

    assertThat(errorNames(p)).containsExactly("cron");
  }

  @Test
  void anUnknownTimeZoneIs400NamingTimeZone() {
    JsonNode p = problem(post(ETL, SCHEDULES, body(with("time_zone", "Mars/Olympus"))), 400);

    assertThat(errorNames(p)).containsExactly("time_zone");
  }

  @Test
  void theTemplateIsValidatedLikeASubmitWithItsFieldsUnderJob() {
    Map<String, Object> s = nightly();
    @SuppressWarnings("unchecked")
    Map<String, Object> job = (Map<String, Object>) s.get("job");
    job.put("max_attempts", 0);

    JsonNode p = problem(post(ETL, SCHEDULES, body(s)), 400);

    assertThat(errorNames(p)).containsExactly("job.max_attempts");
  }

  @Test
  void settingsOutOfRangeAndUnknownPoliciesAre400NamingTheField() {
    assertThat(errorNames(problem(post(ETL, SCHEDULES, body(with("max_catch_up", 101))), 400)))
        .containsExactly("max_catch_up");
    assertThat(
            errorNames(
                problem(post(ETL, SCHEDULES, body(with("concurrency_policy", "sometimes"))), 400)))
        .containsExactly("concurrency_policy");
    problem(post(ETL, SCHEDULES, body(with("status", "RUNNING"))), 400);
  }

  @Test
  void anotherProjectsScheduleIsNotFoundWhateverTheOperation() {
    String id = created(ETL, nightly()).get("id").asText();
    Map<String, Object> web = nightly();
    @SuppressWarnings("unchecked")
    Map<String, Object> job = (Map<String, Object>) web.get("job");
    job.put("project", "web");
    String webId = created(SUBMITTER, web).get("id").asText();

    JsonNode missing = problem(get(ETL, SCHEDULES + "/" + webId), 404);
    JsonNode absent = problem(get(ETL, SCHEDULES + "/00000000-0000-0000-0000-000000000000"), 404);
    problem(post(ETL, SCHEDULES + "/" + webId + "/trigger", ""), 404);
    problem(as(ETL, SCHEDULES + "/" + webId).delete(), 404);
    problem(
        as(ETL, SCHEDULES + "/" + webId)
            .put(Entity.entity(body(nightly()), MediaType.APPLICATION_JSON)),
        404);
    // the same answer as for a schedule that does not exist: nothing tells the two apart
    assertThat(missing.get("detail")).isEqualTo(absent.get("detail"));
    assertThat(json(get(ETL, SCHEDULES)).get("items")).hasSize(1);
    assertThat(json(get(ETL, SCHEDULES)).at("/items/0/id").asText()).isEqualTo(id);
  }

  @Test
  void viewersReadButOnlySubmittersCreateAndTrigger() {
    String id = created(SUBMITTER, nightly()).get("id").asText();

    problem(post(VIEWER, SCHEDULES, body(nightly())), 403);
    problem(post(VIEWER, SCHEDULES + "/" + id + "/trigger", ""), 403);
    assertThat(get(VIEWER, SCHEDULES + "/" + id).getStatus()).isEqualTo(200);
  }

  @Test
  void triggerStartsALabelledJobAndTheScheduleShowsIt() {
    String id = created(ETL, nightly()).get("id").asText();

    Response r = post(ETL, SCHEDULES + "/" + id + "/trigger", "");
    JsonNode job = json(r);

    assertThat(r.getStatus()).as(job.toString()).isEqualTo(201);
    assertThat(job.at("/labels/jobplane.io~1schedule").asText()).isEqualTo(id);
    assertThat(job.get("status").asText()).isEqualTo("QUEUED");
    JsonNode s = json(get(ETL, SCHEDULES + "/" + id));
    assertThat(s.at("/last_job/id").asText()).isEqualTo(job.get("id").asText());
    assertThat(s.at("/last_job/status").asText()).isEqualTo("QUEUED");
  }

  @Test
  void replaceChangesTheSpecAndDeleteRemovesTheSchedule() {
    String id = created(ETL, nightly()).get("id").asText();

    Response replaced =
        as(ETL, SCHEDULES + "/" + id)
            .put(Entity.entity(body(with("suspend", true)), MediaType.APPLICATION_JSON));
    assertThat(replaced.getStatus()).isEqualTo(200);
    assertThat(json(replaced).get("suspend").asBoolean()).isTrue();

    assertThat(as(ETL, SCHEDULES + "/" + id).delete().getStatus()).isEqualTo(204);
    problem(get(ETL, SCHEDULES + "/" + id), 404);
  }

  @Test
  void aScheduleAJobScheduleResourceOwnsIsNotReplacedOrDeletedOverTheApi() {
    String id = created(ETL, nightly()).get("id").asText();
    // as the operator stores it: the same schedule, owned by a resource
    Schedule stored = schedules.find(ScheduleId.parse(id)).orElseThrow();
    schedules.delete(stored.id());
    schedules.insert(
        Schedule.createFor(
            new ScheduleResource("team-a", "nightly"),
            stored.id(),
            stored.spec(),
            clock.instant(),
            KNOWN_CRONS.parse(stored.spec().cron())));

    Response replaced =
        as(ETL, SCHEDULES + "/" + id)
            .put(Entity.entity(body(with("suspend", true)), MediaType.APPLICATION_JSON));
    JsonNode refused = problem(replaced, 409);
    assertThat(refused.get("detail").asText())
        .contains("managed by JobSchedule resource team-a/nightly");
    assertThat(problem(as(ETL, SCHEDULES + "/" + id).delete(), 409).get("detail").asText())
        .contains("kubectl delete jobschedule nightly -n team-a");
    assertThat(json(get(ETL, SCHEDULES + "/" + id)).get("suspend").asBoolean()).isFalse();
    // a manual run changes no spec: allowed, as for any schedule
    Response triggered = post(ETL, SCHEDULES + "/" + id + "/trigger", "");
    assertThat(triggered.getStatus()).as(json(triggered).toString()).isEqualTo(201);
  }
}
