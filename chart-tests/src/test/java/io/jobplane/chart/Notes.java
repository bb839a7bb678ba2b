package io.jobplane.chart;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Pieces of the rendered NOTES.txt that a reader copies and runs. */
final class Notes {

  private static final String JOB_FILE = "Save as hello-job.yaml:";
  private static final Pattern APPLY = Pattern.compile("kubectl -n (\\S+) apply -f hello-job.yaml");

  private Notes() {}

  /** The indented manifest after "Save as hello-job.yaml:", up to the next command. */
  static GenericKubernetesResource firstJob(String notes) {
    int start = notes.indexOf(JOB_FILE);
    int end = notes.indexOf("kubectl", start);
    if (start < 0 || end < 0) {
      throw new IllegalStateException("no first Job in the notes:\n" + notes);
    }
    String yaml = notes.substring(start + JOB_FILE.length(), end).stripIndent();
    return Manifests.SERIALIZATION.unmarshal(yaml, GenericKubernetesResource.class);
  }

  static String applyNamespace(String notes) {
    Matcher apply = APPLY.matcher(notes);
    if (!apply.find()) {
      throw new IllegalStateException("no apply command in the notes:\n" + notes);
    }
    return apply.group(1);
  }
}
