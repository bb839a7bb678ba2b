package io.jobplane.adapters.rest.resource;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jobplane.adapters.rest.dto.EnvBody;
import io.jobplane.adapters.rest.dto.KubernetesPlacementBody;
import io.jobplane.adapters.rest.dto.SubmitJobRequest;
import io.jobplane.adapters.rest.json.JsonMapping;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobInput;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.KubernetesPlacement;
import io.jobplane.domain.Labels;
import io.jobplane.domain.WorkerCommand;

/**
 * The body of a submit as a {@link JobDefinition}: one translation for POST /api/v1/jobs and for a
 * schedule's job template, so a template is validated exactly like a submit.
 */
final class JobDefinitions {

  private JobDefinitions() {}

  static JobDefinition from(SubmitJobRequest body) {
    return from(body, body.project() == null ? JobDefinition.DEFAULT_PROJECT : body.project());
  }

  /** The body as a job of {@code project} (a graph's node: the project is the graph's). */
  static JobDefinition from(SubmitJobRequest body, String project) {
    return new JobDefinition(
        body.name(),
        body.type(),
        project,
        new Labels(body.labels()),
        new JobInput(inputJson(body)),
        body.maxAttempts() == null ? 3 : body.maxAttempts(),
        body.priority() == null ? 0 : body.priority(),
        body.queue() == null ? JobDefinition.DEFAULT_QUEUE : body.queue(),
        body.runtime() == null ? JobRuntime.WORKER : JobRuntime.parse(body.runtime(), "runtime"),
        body.timeoutSeconds(),
        body.parallelism() == null ? 1 : body.parallelism(),
        command(body),
        placement(body));
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
