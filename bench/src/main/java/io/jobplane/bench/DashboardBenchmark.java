package io.jobplane.bench;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 14's target: the dashboard's jobs list renders its first page in under 1 s. Opens {@code
 * /ui/#/jobs} in Debian's headless Chromium with the token in {@code sessionStorage} and reads the
 * {@code jobplane:first-page} performance mark the page sets once the first rows are on screen
 * (milliseconds from navigation start: HTML, modules, the list call, rendering).
 *
 * <p>{@code DashboardBenchmark BASE_URL TOKEN BROWSERS NAVIGATIONS}: BROWSERS fresh browsers (empty
 * cache), each navigating NAVIGATIONS times; the first navigation of the first browser is the
 * server's first list request when the server was just started.
 */
public final class DashboardBenchmark {

  private DashboardBenchmark() {}

  public static void main(String[] args) {
    String base = args[0].replaceAll("/+$", "");
    String token = args[1];
    int browsers = Integer.parseInt(args[2]);
    int navigations = Integer.parseInt(args[3]);
    List<Double> coldServer = new ArrayList<>();
    List<Double> emptyCache = new ArrayList<>();
    List<Double> cached = new ArrayList<>();
    for (int b = 0; b < browsers; b++) {
      ChromeDriver driver = browser();
      try {
        // a page of the origin that is not the dashboard, to put the token in this tab's storage
        driver.get(base + "/healthz");
        driver.executeScript("sessionStorage.setItem('jobplane.token', arguments[0])", token);
        for (int n = 0; n < navigations; n++) {
          // another query string each time: a real navigation, not a hash change
          driver.get(base + "/ui/?nav=" + b + "-" + n + "#/jobs");
          double ms = firstPage(driver);
          (n > 0 ? cached : b == 0 ? coldServer : emptyCache).add(ms);
          System.out.printf("browser %d navigation %d: %.0f ms%n", b + 1, n + 1, ms);
        }
      } finally {
        driver.quit();
      }
    }
    System.out.println();
    System.out.println("| case | navigations | median ms | max ms |");
    System.out.println("|---|---:|---:|---:|");
    row("first navigation, first list request of a just-started server", coldServer);
    row("first navigation of a new browser (empty cache), warm server", emptyCache);
    row("later navigations (modules cached)", cached);
  }

  private static double firstPage(ChromeDriver driver) {
    Object ms =
        new WebDriverWait(driver, Duration.ofSeconds(60))
            .withMessage("the jobs list never marked its first page")
            .until(
                d ->
                    driver.executeScript(
                        "const m = performance.getEntriesByName('jobplane:first-page');"
                            + " return m.length ? m[0].startTime : null;"));
    return ((Number) ms).doubleValue();
  }

  private static void row(String what, List<Double> values) {
    if (values.isEmpty()) {
      return;
    }
    List<Double> sorted = values.stream().sorted().toList();
    System.out.printf(
        "| %s | %d | %.0f | %.0f |%n",
        what, sorted.size(), sorted.get((sorted.size() - 1) / 2), sorted.get(sorted.size() - 1));
  }

  private static ChromeDriver browser() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1400,1000");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }
}
