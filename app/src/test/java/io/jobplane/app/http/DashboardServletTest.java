package io.jobplane.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.application.service.LiveLimits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard's files as the container serves them: public, typed, cached and fenced. */
class DashboardServletTest {

  private static JettyHttpServer server;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    HttpSettings settings =
        new HttpSettings(
            Duration.ofSeconds(5),
            100,
            8192,
            100_000,
            Duration.ofSeconds(5),
            new LiveLimits(10, 10, Duration.ofSeconds(1)));
    server = JettyHttpServer.start("127.0.0.1", 0, settings, new ResourceConfig());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (headers.length > 0) {
      r.headers(headers);
    }
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void thePageIsPublicAndNamesThePinnedWebjarVersions() throws Exception {
    HttpResponse<String> page = get("/ui/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
    assertThat(page.body()).doesNotContain("{{webjar:").contains("./webjars/lit/3.");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }

  @Test
  void thePolicyAllowsThisOriginAndExactlyThePagesImportMap() throws Exception {
    HttpResponse<String> page = get("/ui/");
    String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(csp).contains("default-src 'self'").contains("frame-ancestors 'none'");
    assertThat(csp).doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
    Matcher map =
        Pattern.compile("<script type=\"importmap\">(.*?)</script>", Pattern.DOTALL)
            .matcher(page.body());
    assertThat(map.find()).isTrue();
    byte[] hash =
        MessageDigest.getInstance("SHA-256").digest(map.group(1).getBytes(StandardCharsets.UTF_8));
    assertThat(csp).contains("'sha256-" + Base64.getEncoder().encodeToString(hash) + "'");
  }

  @Test
  void versionedWebjarFilesAreCachedForGoodAndTheDashboardsOwnAreRevalidated() throws Exception {
    String lit = get("/ui/").body().replaceAll("(?s).*\\./webjars/lit/([^/]+)/index\\.js.*", "$1");
    HttpResponse<String> webjar = get("/ui/webjars/lit/" + lit + "/index.js");
    assertThat(webjar.statusCode()).isEqualTo(200);
    assertThat(webjar.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/javascript;")
        .contains("charset=utf-8");
    assertThat(webjar.headers().firstValue("Cache-Control")).hasValue(DashboardServlet.IMMUTABLE);

    HttpResponse<String> app = get("/ui/app.js");
    assertThat(app.statusCode()).isEqualTo(200);
    assertThat(app.headers().firstValue("Cache-Control")).hasValue("no-cache");
    String etag = app.headers().firstValue("ETag").orElseThrow();
    assertThat(get("/ui/app.js", "If-None-Match", etag).statusCode()).isEqualTo(304);
  }

  @Test
  void theBarePathMovesToTheDirectorySoRelativeModulesResolve() throws Exception {
    HttpResponse<String> bare = get("/ui");
    assertThat(bare.statusCode()).isEqualTo(301);
    assertThat(bare.headers().firstValue("Location")).hasValue("/ui/");
  }

  @Test
  void onlyFilesOfTheDashboardAndItsWebjarsAreServed() throws Exception {
    assertThat(get("/ui/missing.js").statusCode()).isEqualTo(404);
    // a class file is on the same classpath, but is no asset of the dashboard
    assertThat(get("/ui/webjars/../../../io/jobplane/app/http/DashboardServlet.class").statusCode())
        .isNotEqualTo(200);
    assertThat(get("/ui/%2e%2e/%2e%2e/logback.xml").statusCode()).isNotEqualTo(200);
    assertThat(get("/ui/webjars/lit/..%2f..%2f..%2flogback.xml").statusCode()).isNotEqualTo(200);
    assertThat(get("/ui/webjars/lit").statusCode()).isEqualTo(404);
    HttpResponse<String> missing = get("/ui/nothing-here.css");
    assertThat(missing.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
  }
}
