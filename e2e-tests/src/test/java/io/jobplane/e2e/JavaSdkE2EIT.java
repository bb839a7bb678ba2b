package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jobplane.application.security.Role;
import io.jobplane.client.ApiClient;
import io.jobplane.client.ApiException;
import io.jobplane.client.api.JobsApi;
import io.jobplane.client.api.JobsApi.APIListJobsRequest;
import io.jobplane.client.model.Job;
import io.jobplane.client.model.JobList;
import io.jobplane.client.model.SubmitJobRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated Java SDK (clients/java) against the real server, as an SDK user calls it. */
class JavaSdkE2EIT {

  @TempDir static Path dir;
  static JobplaneProcess server;
  static Tokens tokens;

  @BeforeAll
  static void start() throws Exception {
    tokens = new Tokens().add("admin", Role.ADMIN);
    server =
        JobplaneProcess.start(
            dir.resolve("data"), "--tokens-file", tokens.write(dir.resolve("tokens")).toString());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static JobsApi jobs(String token) {
    ApiClient client = new ApiClient();
    client.updateBaseUri(server.baseUrl());
    client.setRequestInterceptor(r -> r.header("Authorization", "Bearer " + token));
    return new JobsApi(client);
  }

  @Test
  void aJobSubmittedThroughTheSdkIsReadAndListedThroughIt() throws Exception {
    JobsApi api = jobs(tokens.token("admin"));

    Job submitted =
        api.submitJob(
            new SubmitJobRequest()
                .name("sdk import")
                .type("etl")
                .project("sdk")
                .labels(Map.of("source", "sdk"))
                .input(Map.of("date", "2026-11-29"))
                .command(List.of("sh", "-c", "echo hi"))
                .maxAttempts(2),
            "sdk-" + UUID.randomUUID());

    assertThat(submitted.getId()).isNotNull();
    assertThat(submitted.getStatus()).isEqualTo(Job.StatusEnum.QUEUED);

    Job read = api.getJob(submitted.getId(), null);
    assertThat(read.getName()).isEqualTo("sdk import");
    assertThat(read.getLabels()).containsEntry("source", "sdk");
    assertThat(read.getInput()).containsEntry("date", "2026-11-29");
    assertThat(read.getMaxAttempts()).isEqualTo(2);

    JobList listed =
        api.listJobs(
            APIListJobsRequest.newBuilder().project("sdk").labels("source=sdk").limit(10L).build());
    assertThat(listed.getItems()).extracting(Job::getId).containsExactly(submitted.getId());
    assertThat(listed.getStatusCounts()).containsEntry("QUEUED", 1L);

    assertThat(api.stopJob(submitted.getId(), null).getStatus()).isEqualTo(Job.StatusEnum.STOPPED);
    // an operation that answers no body: the SDK accepts only problem+json for it
    api.deleteJob(submitted.getId());
    assertThat(
            catchThrowableOfType(ApiException.class, () -> api.getJob(submitted.getId(), null))
                .getCode())
        .isEqualTo(404);
  }

  @Test
  void aProblemAnswerReachesTheCallerAsAnApiExceptionWithItsStatusAndBody() {
    ApiException e =
        catchThrowableOfType(
            ApiException.class, () -> jobs(tokens.token("admin")).getJob(UUID.randomUUID(), null));
    assertThat(e.getCode()).isEqualTo(404);
    assertThat(e.getResponseBody()).contains("\"status\":404");

    ApiException unauthenticated =
        catchThrowableOfType(
            ApiException.class, () -> jobs("not-a-token").getJob(UUID.randomUUID(), null));
    assertThat(unauthenticated.getCode()).isEqualTo(401);
  }
}
