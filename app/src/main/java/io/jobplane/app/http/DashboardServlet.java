package io.jobplane.app.http;

import io.jobplane.domain.Sha256;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves the web dashboard at {@code /ui}: the static files of the {@code jobplane-ui} module and
 * the webjars they import, from the classpath. Everything here is public; the dashboard itself
 * calls {@code /api} with the user's token like any other client, so no data passes through this
 * servlet.
 *
 * <p>The page's import map names the webjars' versions; they are filled in from each webjar's
 * {@code pom.properties}, so the versions are pinned once, in the parent POM. The import map is the
 * one inline script, allowed by its hash in the Content-Security-Policy; everything else must come
 * from this origin.
 */
final class DashboardServlet extends HttpServlet {

  static final String APP_ROOT = "jobplane-ui/";
  static final String WEBJARS_ROOT = "META-INF/resources/webjars/";

  private static final Pattern SAFE_PATH =
      Pattern.compile("(?:[A-Za-z0-9_@.-]+/)*[A-Za-z0-9_@.-]+");
  private static final Pattern WEBJAR_VERSION = Pattern.compile("\\{\\{webjar:([a-z0-9_.-]+)}}");
  private static final Pattern IMPORT_MAP =
      Pattern.compile("<script type=\"importmap\">(.*?)</script>", Pattern.DOTALL);
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "json", "application/json",
          "png", "image/png",
          "ico", "image/x-icon");

  /** Webjar paths carry their version, so a browser may keep them for good. */
  static final String IMMUTABLE = "public, max-age=31536000, immutable";

  /** The dashboard's own files change with each release under the same name: revalidate. */
  static final String REVALIDATE = "no-cache";

  private record Asset(byte[] body, String type, String etag) {
    static Asset of(byte[] body, String type) {
      return new Asset(body, type, '"' + HexFormat.of().formatHex(Sha256.of(body), 0, 12) + '"');
    }
  }

  private final ClassLoader loader;
  private final Asset index;
  private final String contentSecurityPolicy;
  private final Map<String, Optional<Asset>> assets = new ConcurrentHashMap<>();

  DashboardServlet() {
    this.loader = DashboardServlet.class.getClassLoader();
    String page =
        new String(
            read(APP_ROOT + "index.html")
                .orElseThrow(
                    () -> new IllegalStateException("the dashboard is not on the classpath")),
            StandardCharsets.UTF_8);
    String html = withWebjarVersions(page);
    this.index = Asset.of(html.getBytes(StandardCharsets.UTF_8), TYPES.get("html"));
    this.contentSecurityPolicy = contentSecurityPolicy(html);
  }

  /** The policy sent with every answer: this origin only, plus the page's import map by hash. */
  String contentSecurityPolicy() {
    return contentSecurityPolicy;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = request.getPathInfo();
    if (path == null) { // "/ui": relative module URLs resolve against "/ui/"
      response.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
      response.setHeader("Location", request.getContextPath() + "/ui/");
      return;
    }
    String name = path.substring(1);
    Optional<Asset> asset;
    String caching;
    if (name.isEmpty() || name.equals("index.html")) {
      asset = Optional.of(index);
      caching = REVALIDATE;
    } else if (!SAFE_PATH.matcher(name).matches() || name.contains("..")) {
      asset = Optional.empty();
      caching = REVALIDATE;
    } else if (name.startsWith("webjars/")) {
      asset = assets.computeIfAbsent(name, n -> load(WEBJARS_ROOT + n.substring(8)));
      caching = IMMUTABLE;
    } else {
      asset = assets.computeIfAbsent(name, n -> load(APP_ROOT + n));
      caching = REVALIDATE;
    }
    if (asset.isEmpty()) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    Asset a = asset.get();
    response.setHeader("Content-Security-Policy", contentSecurityPolicy);
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Cache-Control", caching);
    response.setHeader("ETag", a.etag());
    if (a.etag().equals(request.getHeader("If-None-Match"))) {
      response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
      return;
    }
    response.setContentType(a.type());
    response.setContentLength(a.body().length);
    response.getOutputStream().write(a.body());
  }

  /** A file of a known type, or nothing (directories, class files and the like are not served). */
  private Optional<Asset> load(String resource) {
    int dot = resource.lastIndexOf('.');
    String type = dot < 0 ? null : TYPES.get(resource.substring(dot + 1));
    if (type == null) {
      return Optional.empty();
    }
    return read(resource).map(body -> Asset.of(body, type));
  }

  private Optional<byte[]> read(String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String withWebjarVersions(String page) {
    Matcher m = WEBJAR_VERSION.matcher(page);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(webjarVersion(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String webjarVersion(String artifact) {
    String resource = "META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
    byte[] bytes =
        read(resource).orElseThrow(() -> new IllegalStateException("webjar missing: " + artifact));
    Properties properties = new Properties();
    try {
      properties.load(new java.io.ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version");
  }

  static String contentSecurityPolicy(String html) {
    Matcher importMap = IMPORT_MAP.matcher(html);
    String scripts = "'self'";
    if (importMap.find()) {
      byte[] hash = Sha256.of(importMap.group(1).getBytes(StandardCharsets.UTF_8));
      scripts += " 'sha256-" + Base64.getEncoder().encodeToString(hash) + "'";
    }
    return "default-src 'self'; script-src "
        + scripts
        + "; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none';"
        + " base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  }
}
