package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The web dashboard in a real headless Chromium against the real server and real workers: what a
 * user does in the browser, checked on the page and, where it changes something, through the API.
 */
class DashboardE2EIT {

  @TempDir static Path dataDir;
  @TempDir Path scratch;
  static JobplaneProcess server;
  static Api api;
  static String token;
  static Browser browser;
  private final List<Process> workers = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    server = JobplaneProcess.start(dataDir, "--sweep-interval-ms", "200");
    token = JobplaneProcess.adminToken(dataDir);
    api = new Api(server.baseUrl(), token);
    browser = new Browser();
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    server.close();
  }

  @BeforeEach
  void signedIn() {
    browser.open(server.baseUrl() + "/ui/#/jobs");
    if (!browser.all("#token").isEmpty()) {
      browser.type("#token", token);
      browser.click("jp-login button[type=submit]");
    }
    browser.visible("jp-jobs h1");
  }

  @AfterEach
  void stopWorkers() throws Exception {
    for (Process w : workers) {
      w.toHandle().destroyForcibly();
      w.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aPastedTokenSignsInAndAWrongOneIsRefusedNextToTheField() {
    browser.click("#sign-out");
    browser.type("#token", "jpt_not-a-real-token");
    browser.click("jp-login button[type=submit]");
    assertThat(browser.visible("#token-error").getText()).contains("not accepted");
    assertThat(browser.script("return sessionStorage.getItem('jobplane.token')")).isNull();

    browser.type("#token", token);
    browser.click("jp-login button[type=submit]");
    assertThat(browser.visible("jp-jobs h1").getText()).isEqualTo("Jobs");
    assertThat(browser.script("return sessionStorage.getItem('jobplane.token')")).isEqualTo(token);
  }

  @Test
  void theListFiltersByStatusAndLabelAndShowsTheCounts() throws Exception {
    String team = "alpha-" + nonce();
    String queue = idleQueue();
    submit("first", queue, "echo hi", "\"team\":\"" + team + "\"");
    String second = submit("second", queue, "echo hi", "\"team\":\"" + team + "\"");
    submit("other team", queue, "echo hi", "\"team\":\"beta-" + nonce() + "\"");
    assertThat(api.post("/api/v1/jobs/" + second + "/suspend", "{}").status()).isEqualTo(200);

    browser.type("#filter-labels", "team=" + team);
    browser.click("#apply-filters");
    browser.await("two jobs of the team", d -> rows().size() == 2);
    browser.await("counts of the team", d -> count("QUEUED") == 1 && count("SUSPENDED") == 1);
    assertThat(count("RUNNING")).isZero();

    browser.click("button.chip[data-status=SUSPENDED]");
    browser.await(
        "only the suspended job",
        d -> rows().size() == 1 && "SUSPENDED".equals(rows().get(0).getAttribute("data-status")));
    assertThat(rows().get(0).getAttribute("data-job")).isEqualTo(second);
    // the counts are for the filter without its status part, as the API defines them
    assertThat(count("QUEUED")).isEqualTo(1);
    assertThat(browser.driver.getCurrentUrl()).contains("status=suspended").contains("labels=");
  }

  @Test
  void aSubmittedJobIsSeenQueuedRunningAndSucceededWithItsProgressMovingWithoutAReload()
      throws Exception {
    String queue = "dash-run-" + nonce();
    String id =
        submit(
            "progressing",
            queue,
            "for p in 10 20 30 40 50 60 70 80 90; do echo \"##jobplane progress=$p\"; sleep 2;"
                + " done",
            null);
    browser.type("#filter-queue", queue);
    browser.click("#apply-filters");
    String row = "tr[data-job='" + id + "']";
    browser.await("the job queued", d -> "QUEUED".equals(status(row)));
    browser.script("window.jpNeverReloaded = true");

    worker(queue);
    browser.await("the job running", d -> "RUNNING".equals(status(row)));
    Set<String> progressSeen = new LinkedHashSet<>();
    browser.await(
        "the progress bar moving while the job runs",
        d -> {
          List<WebElement> bars = d.findElements(By.cssSelector(row + " progress"));
          if (!bars.isEmpty() && "RUNNING".equals(status(row))) {
            progressSeen.add(bars.get(0).getAttribute("value"));
          }
          return progressSeen.size() >= 2 ? true : null;
        });
    browser.screenshot("dashboard-jobs.png");
    browser.await("the job succeeded", d -> "SUCCEEDED".equals(status(row)));
    assertThat(browser.script("return window.jpNeverReloaded === true")).isEqualTo(true);
    assertThat(api.get("/api/v1/jobs/" + id).body().get("status").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  void theLogsTabShowsALineTheJobWroteWhileItWasOpen() throws Exception {
    String queue = "dash-logs-" + nonce();
    Path marker = scratch.resolve("go");
    String line = "written-after-the-tab-opened-" + nonce();
    String id =
        submit(
            "logging",
            queue,
            "echo waiting for the tab; while [ ! -f '"
                + marker
                + "' ]; do sleep 0.2; done; echo "
                + line
                + "; sleep 3",
            null);
    worker(queue);
    browser.open(server.baseUrl() + "/ui/#/jobs/" + id);
    browser.await("the job running", d -> "RUNNING".equals(detailStatus()));
    browser.click("#tab-logs");
    browser.await("the first line", d -> logText().contains("waiting for the tab"));
    assertThat(logText()).doesNotContain(line);

    Files.createFile(marker);
    browser.await("the line written while the tab was open", d -> logText().contains(line));
    browser.screenshot("dashboard-job.png");
  }

  @Test
  void aRunningJobIsStoppedFromItsPage() throws Exception {
    String queue = "dash-stop-" + nonce();
    String id = submit("long runner", queue, "echo started; sleep 600", null);
    worker(queue);
    browser.open(server.baseUrl() + "/ui/#/jobs/" + id);
    browser.await("the job running", d -> "RUNNING".equals(detailStatus()));
    assertThat(browser.visible("#resume").isEnabled()).isFalse();
    assertThat(browser.visible("#restart").isEnabled()).isFalse();

    browser.click("#stop");
    browser.click("#confirm-stop");
    browser.await("the job stopped", d -> "STOPPED".equals(detailStatus()));
    assertThat(api.get("/api/v1/jobs/" + id).body().get("status").asText()).isEqualTo("STOPPED");
    browser.await("restart offered once stopped", d -> d.findElement(By.id("restart")).isEnabled());
  }

  @Test
  void threeSelectedJobsAreStoppedTogetherWithAResultForEach() throws Exception {
    String batch = "b" + nonce();
    String queue = idleQueue();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(submit("bulk " + i, queue, "echo hi", "\"batch\":\"" + batch + "\""));
    }
    browser.type("#filter-labels", "batch=" + batch);
    browser.click("#apply-filters");
    browser.await("the three jobs", d -> rows().size() == 3);

    browser.click("#select-all");
    browser.click("#bulk-stop");
    assertThat(browser.visible("[role=alertdialog]").getText()).contains("Stop 3 jobs?");
    browser.click("#confirm-bulk");
    browser.await(
        "a result for each job", d -> d.findElements(By.cssSelector(".results li.ok")).size() == 3);
    for (String id : ids) {
      assertThat(browser.all(".results li[data-job='" + id + "']")).hasSize(1);
      assertThat(api.get("/api/v1/jobs/" + id).body().get("status").asText()).isEqualTo("STOPPED");
    }
    browser.await(
        "the rows stopped",
        d -> rows().stream().allMatch(r -> "STOPPED".equals(r.getAttribute("data-status"))));
  }

  @Test
  void aBadFilterShowsTheApisProblemNextToTheFilter() {
    browser.type("#filter-labels", "env in (prod");
    browser.click("#apply-filters");
    WebElement error = browser.visible("#filter-labels-error");
    assertThat(error.getText()).isNotBlank();
    assertThat(browser.visible("#filter-labels").getAttribute("aria-invalid")).isEqualTo("true");
    // the message is the API's own, for the parameter it names
    String detail =
        errorMessage(server.baseUrl(), "/api/v1/jobs?labels=env%20in%20(prod", "labels");
    assertThat(error.getText()).isEqualTo(detail);
    assertThat(browser.visible(".problem").getText()).contains("Invalid");
  }

  @Test
  void theQueuesPageShowsWhatWaitsWhyAndTheLimits() throws Exception {
    String queue = idleQueue();
    // a limit of this queue only, so that no other test's jobs are held
    Api.Response limited =
        api.exchange(
            "PUT",
            "/api/v1/projects/default/limits",
            Map.of("Content-Type", "application/json"),
            "{\"weight\": 1, \"queues\": {\"" + queue + "\": {\"max_running\": 5}}}");
    assertThat(limited.status()).as(limited.raw()).isEqualTo(200);
    submit("waiting", queue, "echo hi", null);
    submit("waiting too", queue, "echo hi", null);
    browser.click("nav a[href='#/queues']");
    String row = "tr[data-queue='" + queue + "']";
    browser.await(
        "the queue with two waiting jobs",
        d -> {
          List<WebElement> cells = d.findElements(By.cssSelector(row + " td"));
          return cells.size() > 2 && cells.get(2).getText().equals("2");
        });
    assertThat(browser.visible(row).getText()).contains("no worker");
    assertThat(browser.visible(row + " td.limits").getText()).isEqualTo("running ≤ 5 here");
    browser.screenshot("dashboard-queues.png");
    // an empty document removes the project's limits: the other tests' claims take no lock
    api.exchange(
        "PUT", "/api/v1/projects/default/limits", Map.of("Content-Type", "application/json"), "{}");
  }

  // ---------------------------------------------------------------------------------------------

  private static String nonce() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  /** A queue no worker polls: its jobs stay QUEUED. */
  private static String idleQueue() {
    return "dash-idle-" + nonce();
  }

  private static String submit(String name, String queue, String script, String labels)
      throws Exception {
    String body =
        "{\"name\":"
            + Api.JSON.writeValueAsString(name)
            + ",\"type\":\"shell\",\"queue\":\""
            + queue
            + "\""
            + (labels == null ? "" : ",\"labels\":{" + labels + "}")
            + ",\"command\":[\"sh\",\"-c\","
            + Api.JSON.writeValueAsString(script)
            + "]}";
    Api.Response r = api.post("/api/v1/jobs", body);
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().get("id").asText();
  }

  private void worker(String queue) throws Exception {
    workers.add(
        JobplaneProcess.startWorker(
            server.baseUrl(),
            dataDir.resolve("admin.token"),
            scratch.resolve("worker-" + workers.size() + ".log"),
            "--queue",
            queue,
            // a heartbeat, and so a progress sample, every few seconds
            "--lease-seconds",
            "5"));
  }

  private static List<WebElement> rows() {
    return browser.all("table.jobs tbody tr");
  }

  private static int count(String status) {
    List<WebElement> c = browser.all("button.chip .count[data-count=" + status + "]");
    return c.isEmpty() ? -1 : Integer.parseInt(c.get(0).getText().trim());
  }

  private static String status(String rowCss) {
    List<WebElement> r = browser.all(rowCss);
    return r.isEmpty() ? null : r.get(0).getAttribute("data-status");
  }

  private static String detailStatus() {
    List<WebElement> b = browser.all("#job-status .badge");
    return b.isEmpty() ? null : b.get(0).getAttribute("data-status");
  }

  private static String logText() {
    List<WebElement> l = browser.all("#log-lines");
    return l.isEmpty() ? "" : l.get(0).getText();
  }

  private static String errorMessage(String base, String path, String parameter) {
    try {
      Api.Response r = api.get(path);
      assertThat(r.status()).isEqualTo(400);
      for (var e : r.body().get("errors")) {
        if (parameter.equals(e.path("parameter").asText())) {
          return e.get("message").asText();
        }
      }
      throw new AssertionError("no problem for " + parameter + ": " + r.raw());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
