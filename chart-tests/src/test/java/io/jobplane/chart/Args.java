package io.jobplane.chart;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.NoSuchElementException;

/** The command line a Deployment's only container runs with (the image's entrypoint + args). */
final class Args {

  private Args() {}

  static List<String> of(Deployment deployment) {
    return container(deployment).getArgs();
  }

  static Container container(Deployment deployment) {
    List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    if (containers.size() != 1) {
      throw new IllegalStateException("expected one container, got " + containers.size());
    }
    return containers.get(0);
  }

  /** The value after {@code flag}. */
  static String value(Deployment deployment, String flag) {
    List<String> args = of(deployment);
    int at = args.indexOf(flag);
    if (at < 0 || at + 1 >= args.size()) {
      throw new NoSuchElementException(flag + " in " + args);
    }
    return args.get(at + 1);
  }
}
