package io.jobplane.adapters.k8s.operator;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.function.Supplier;

/** Status writes of the reconcilers: only when the status changed, on a minimal object. */
final class StatusPatches {

  private StatusPatches() {}

  /**
   * No update when {@code status} serializes as the resource's current one; otherwise a patch of
   * the status subresource that carries name, namespace and the status only (never the spec).
   */
  static <S, R extends CustomResource<?, S>> UpdateControl<R> ifChanged(
      R resource, S status, Supplier<R> blank) {
    if (resource.getStatus() != null
        && Serialization.asJson(resource.getStatus()).equals(Serialization.asJson(status))) {
      return UpdateControl.noUpdate();
    }
    R patch = blank.get();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(resource.getMetadata().getName())
            .withNamespace(resource.getMetadata().getNamespace())
            .build());
    patch.setStatus(status);
    return UpdateControl.patchStatus(patch);
  }
}
