package io.jobplane.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the PrometheusRule: off unless asked for, and as configured when on.
 * That every metric they name is one the server exports is checked against a running server, in
 * e2e-tests' {@code AlertingMetricsE2EIT}.
 */
class MonitoringTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> ALERTS =
      List.of(
          "JobplaneJobFailureRateHigh",
          "JobplaneQueueOldestJobTooOld",
          "JobplaneScheduleLagging",
          "JobplaneScheduleMissed",
          "JobplaneWebhookDeliveriesFailing");

  @Test
  void neitherIsRenderedByDefault() {
    Manifests manifests = HelmChart.render(ValueSet.DEFAULTS);

    assertThat(manifests.all(ConfigMap.class)).isEmpty();
    assertThat(manifests.ofKind("PrometheusRule")).isEmpty();
  }

  @Test
  void theDashboardIsAConfigMapTheGrafanaSidecarPicksUp() throws Exception {
    ConfigMap dashboard =
        HelmChart.render(ValueSet.EXTERNAL_DB).named(ConfigMap.class, "jobplane-dashboard");

    assertThat(dashboard.getMetadata().getNamespace()).isEqualTo(HelmChart.NAMESPACE);
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(dashboard.getMetadata().getAnnotations())
        .containsEntry("grafana_folder", "Jobplane");
    JsonNode json = JSON.readTree(dashboard.getData().get("jobplane.json"));
    assertThat(json)
        .as("the chart's file, unchanged")
        .isEqualTo(
            JSON.readTree(
                Files.readString(HelmChart.DIRECTORY.resolve("dashboards/jobplane.json"))));
    assertThat(json.get("uid").asText()).isEqualTo("jobplane-overview");
  }

  @Test
  void everyDashboardPanelQueriesTheChosenNamespaceThroughTheChosenDataSource() throws Exception {
    JsonNode json =
        JSON.readTree(Files.readString(HelmChart.DIRECTORY.resolve("dashboards/jobplane.json")));
    List<JsonNode> panels = new ArrayList<>();
    json.get("panels")
        .forEach(
            p -> {
              if (!p.get("type").asText().equals("row")) panels.add(p);
            });

    assertThat(panels).hasSizeGreaterThanOrEqualTo(12);
    for (JsonNode panel : panels) {
      String title = panel.get("title").asText();
      assertThat(panel.at("/datasource/uid").asText()).as(title).isEqualTo("${datasource}");
      assertThat(panel.get("targets")).as(title).isNotEmpty();
      for (JsonNode target : panel.get("targets")) {
        String expr = target.get("expr").asText();
        assertThat(expr).as(title).contains("namespace=\"$namespace\"");
        assertThat(balanced(expr)).as("%s: %s", title, expr).isTrue();
      }
    }
    assertThat(panels)
        .extracting(p -> p.get("targets").toString())
        .anyMatch(
            t ->
                t.contains("histogram_quantile")
                    && t.contains("jobplane_job_queue_wait_seconds_bucket"))
        .anyMatch(
            t ->
                t.contains("histogram_quantile")
                    && t.contains("jobplane_job_duration_seconds_bucket"))
        .anyMatch(t -> t.contains("jobplane_queue_oldest_queued_seconds"))
        .anyMatch(t -> t.contains("jobplane_schedules_lag_seconds"))
        .anyMatch(t -> t.contains("jobplane_webhook_delivery_failures_total"))
        .anyMatch(t -> t.contains("http_server_requests_seconds_bucket"));
  }

  @Test
  void theSidecarLabelAndTheNamespaceCanBeChanged() {
    ConfigMap dashboard =
        HelmChart.render(
                ValueSet.DEFAULTS,
                Map.of(
                    "metrics.grafanaDashboard.enabled", true,
                    "metrics.grafanaDashboard.sidecarLabel", "grafana.example.com/dashboard",
                    "metrics.grafanaDashboard.sidecarLabelValue", "jobplane",
                    "metrics.grafanaDashboard.namespace", "monitoring"))
            .named(ConfigMap.class, "jobplane-dashboard");

    assertThat(dashboard.getMetadata().getNamespace()).isEqualTo("monitoring");
    assertThat(dashboard.getMetadata().getLabels())
        .containsEntry("grafana.example.com/dashboard", "jobplane")
        .doesNotContainKey("grafana_dashboard");
  }

  @Test
  void theRuleHoldsEveryAlertWithItsThresholdDelayAndRunbookText() {
    GenericKubernetesResource rule = rule(HelmChart.render(ValueSet.EXTERNAL_DB));

    assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(rule.getMetadata().getLabels()).containsEntry("release", "prometheus");
    Map<String, Map<String, Object>> alerts = alerts(rule);
    assertThat(alerts).containsOnlyKeys(ALERTS);
    alerts.forEach(
        (name, alert) -> {
          String expr = (String) alert.get("expr");
          assertThat(expr).as(name).contains("namespace=\"" + HelmChart.NAMESPACE + "\"");
          assertThat(balanced(expr)).as("%s: %s", name, expr).isTrue();
          assertThat(alert.get("labels"))
              .as(name)
              .isEqualTo(Map.of("severity", "warning", "team", "platform"));
          @SuppressWarnings("unchecked")
          Map<String, String> annotations = (Map<String, String>) alert.get("annotations");
          assertThat(annotations).as(name).containsKeys("summary", "description");
          assertThat(annotations.get("description")).as(name).doesNotContain("{{ .");
        });
    // the values of external-db.yaml, and the defaults elsewhere
    assertThat(alerts.get("JobplaneQueueOldestJobTooOld"))
        .containsEntry("for", "10m")
        .extractingByKey("expr")
        .asString()
        .endsWith("> 600");
    assertThat(alerts.get("JobplaneJobFailureRateHigh"))
        .containsEntry("for", "10m")
        .extractingByKey("expr")
        .asString()
        .contains("[15m]", "> 0.2", ">= 5");
    assertThat(alerts.get("JobplaneQueueOldestJobTooOld").get("annotations").toString())
        .contains("{{ $labels.queue }}", "{{ $value | humanizeDuration }}");
  }

  @Test
  void thresholdsAndDelaysComeFromValuesAndAnAlertCanBeTurnedOff() {
    Map<String, Map<String, Object>> alerts =
        alerts(
            rule(
                withRule(
                    Map.of(
                        // a string, as helm --set passes a decimal
                        "metrics.prometheusRule.jobFailureRate.threshold", "0.5",
                        "metrics.prometheusRule.jobFailureRate.window", "1h",
                        "metrics.prometheusRule.scheduleLag.thresholdSeconds", 300,
                        "metrics.prometheusRule.webhookFailures.threshold", 3,
                        "metrics.prometheusRule.webhookFailures.for", "30m",
                        "metrics.prometheusRule.webhookFailures.severity", "critical",
                        "metrics.prometheusRule.scheduleMissed.enabled", false))));

    assertThat(alerts).doesNotContainKey("JobplaneScheduleMissed").hasSize(ALERTS.size() - 1);
    assertThat((String) alerts.get("JobplaneJobFailureRateHigh").get("expr"))
        .contains("> 0.5", "[1h]")
        .doesNotContain("[15m]");
    assertThat((String) alerts.get("JobplaneScheduleLagging").get("expr")).endsWith("> 300");
    assertThat(alerts.get("JobplaneWebhookDeliveriesFailing"))
        .containsEntry("for", "30m")
        .containsEntry("labels", Map.of("severity", "critical"));
    assertThat((String) alerts.get("JobplaneWebhookDeliveriesFailing").get("expr")).contains("> 3");
  }

  @Test
  void aFailureRateThresholdThatIsNotAShareIsRefused() {
    for (Object threshold : List.of("high", "1.5", 2)) {
      assertThatThrownBy(
              () -> withRule(Map.of("metrics.prometheusRule.jobFailureRate.threshold", threshold)))
          .as("threshold %s", threshold)
          .hasMessageContaining("at '/metrics/prometheusRule/jobFailureRate/threshold'");
    }
  }

  /** The default values with the rule turned on, and {@code values} on top. */
  private static Manifests withRule(Map<String, Object> values) {
    Map<String, Object> all = new HashMap<>(values);
    all.put("metrics.prometheusRule.enabled", true);
    return HelmChart.render(ValueSet.DEFAULTS, all);
  }

  private static GenericKubernetesResource rule(Manifests manifests) {
    List<HasMetadata> rules = manifests.ofKind("PrometheusRule");
    assertThat(rules).hasSize(1);
    return (GenericKubernetesResource) rules.get(0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> alerts(GenericKubernetesResource rule) {
    List<Map<String, Object>> groups = rule.get("spec", "groups");
    Map<String, Map<String, Object>> alerts = new LinkedHashMap<>();
    for (Map<String, Object> group : groups) {
      for (Map<String, Object> alert : (List<Map<String, Object>>) group.get("rules")) {
        alerts.put((String) alert.get("alert"), alert);
      }
    }
    return alerts;
  }

  /** Parentheses, brackets and braces close in order: a template slip shows up here first. */
  private static boolean balanced(String expr) {
    StringBuilder open = new StringBuilder();
    boolean quoted = false;
    for (char c : expr.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && "([{".indexOf(c) >= 0) {
        open.append(c);
      } else if (!quoted && ")]}".indexOf(c) >= 0) {
        if (open.isEmpty() || "([{".indexOf(open.charAt(open.length() - 1)) != ")]}".indexOf(c)) {
          return false;
        }
        open.setLength(open.length() - 1);
      }
    }
    return open.isEmpty() && !quoted;
  }
}
