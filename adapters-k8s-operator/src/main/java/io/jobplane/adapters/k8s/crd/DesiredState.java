package io.jobplane.adapters.k8s.crd;

/** What the user wants the job to do (seed 003's {@code running_desired}). */
public enum DesiredState {
  RUNNING,
  STOPPED
}
