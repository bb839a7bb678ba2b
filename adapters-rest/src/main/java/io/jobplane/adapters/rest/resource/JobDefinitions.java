package io.jobplane.adapters.rest.resource;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jobplane.adapters.rest.dto.EnvBody;
import io.jobplane.adapters.rest.dto.KubernetesPlacementBody;
import io.jobplane.adapters.rest.dto.PlacementBody;
import io.jobplane.adapters.rest.dto.SubmitJobRequest;
import io.jobplane.adapters.rest.json.JsonMapping;
import io.jobplane.adapters.rest.json.WireNames;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobDefinitionBuilder;
import io.jobplane.domain.JobInput;
import io.jobplane.domain.KubernetesPlacement;
import io.jobplane.domain.Labels;
import io.jobplane.domain.WorkerCommand;
import io.jobplane.domain.WorkerPlacement;

/**
 * The body of a submit as a {@link JobDefinition}: one translation for POST /api/v1/jobs and for a
 * schedule's job template, so a template is validated exactly like a submit.
 */
final class JobDefinitions {

  static final String RESERVED_PREFIX = "jobplane.io/";

  private JobDefinitions() {}

  static JobDefinition from(SubmitJobRequest body) {
    return from(body, body.project() == null ? JobDefinition.DEFAULT_PROJECT : body.project());
  }

  /** The body as a job of {@code project} (a graph's node: the project is the graph's). */
  static JobDefinition from(SubmitJobRequest body, String project) {
    // what the body leaves out keeps the domain's defaults, the same for every entry path
    JobDefinitionBuilder d =
        JobDefinition.builder()
            .name(body.name())
            .project(project)
            .type(body.type())
            .labels(userLabels(body))
            .input(new JobInput(inputJson(body)))
            .timeoutSeconds(body.timeoutSeconds())
            .command(command(body))
            .kubernetes(placement(body))
            .placement(workerPlacement(body));
    if (body.maxAttempts() != null) {
      d.maxAttempts(body.maxAttempts());
    }
    if (body.priority() != null) {
      d.priority(body.priority());
    }
    if (body.queue() != null) {
      d.queue(body.queue());
    }
    if (body.runtime() != null) {
      d.runtime(WireNames.runtime(body.runtime(), "runtime"));
    }
    if (body.parallelism() != null) {
      d.parallelism(body.parallelism());
    }
    return d.build();
  }

  /**
   * Labels under {@value #RESERVED_PREFIX} mark what Jobplane made (a schedule's runs, a graph's
   * nodes): a caller who could set them could enrol its job in someone's schedule, whose history
   * limit deletes it and whose REPLACE policy stops it.
   */
  private static Labels userLabels(SubmitJobRequest body) {
    if (body.labels() != null) {
      for (String key : body.labels().keySet()) {
        if (key != null && key.startsWith(RESERVED_PREFIX)) {
          throw DomainException.invalid(
              "labels", "keys under " + RESERVED_PREFIX + " are set by Jobplane, not by a submit");
        }
      }
    }
    return new Labels(body.labels());
  }

  /**
   * {@code worker_selector} alone places the tasks on matching workers; {@code placement} says the
   * same and more (broadcast). Given both, the selectors must agree.
   */
  private static WorkerPlacement workerPlacement(SubmitJobRequest body) {
    PlacementBody p = body.placement();
    if (p == null) {
      return body.workerSelector() == null
          ? null
          : WorkerPlacement.selecting(body.workerSelector());
    }
    String selector = p.workerSelector() != null ? p.workerSelector() : body.workerSelector();
    if (p.workerSelector() != null
        && body.workerSelector() != null
        && !p.workerSelector().trim().equals(body.workerSelector().trim())) {
      throw DomainException.invalid(
          "worker_selector", "differs from placement.worker_selector; give one of them");
    }
    WorkerPlacement.Mode mode =
        p.mode() == null
            ? WorkerPlacement.Mode.ANY
            : WireNames.placementMode(p.mode(), "placement.mode");
    return new WorkerPlacement(
        mode, selector, p.includeLateJoiners() != null && p.includeLateJoiners());
  }

  private static WorkerCommand command(SubmitJobRequest body) {
    if (body.command() == null) {
      if (body.env() != null && body.kubernetes() == null) {
        throw DomainException.invalid("env", "needs a command");
      }
      return null;
    }
    EnvBody.Split env = EnvBody.parse(body.env());
    return new WorkerCommand(body.command(), env.plain(), env.secrets());
  }

  private static KubernetesPlacement placement(SubmitJobRequest request) {
    KubernetesPlacementBody body = request.kubernetes();
    if (body == null) {
      return null;
    }
    EnvBody.Split env = EnvBody.parse(request.command() == null ? request.env() : null);
    if (!env.plain().isEmpty()) {
      String name = env.plain().keySet().iterator().next();
      throw DomainException.invalid(
          "env." + name,
          "a kubernetes job takes only secret references here; set plain variables in its"
              + " pod_template");
    }
    if (body.podTemplate() == null) {
      throw DomainException.invalid(
          "kubernetes.pod_template", "is required: the PodTemplateSpec the job's pods run");
    }
    try {
      return new KubernetesPlacement(
          body.namespace(), body.name(), JsonMapping.text(body.podTemplate()), env.secrets());
    } catch (JsonProcessingException e) {
      throw DomainException.invalid("kubernetes.pod_template", "is not a JSON object");
    }
  }

  private static String inputJson(SubmitJobRequest body) {
    if (body.input() == null) {
      return null;
    }
    try {
      return JsonMapping.text(body.input());
    } catch (JsonProcessingException e) {
      throw DomainException.invalid("input", "is not a JSON object");
    }
  }
}
