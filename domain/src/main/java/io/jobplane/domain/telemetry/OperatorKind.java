package io.jobplane.domain.telemetry;

/** The role of an operator in a pipeline. */
public enum OperatorKind {
  SOURCE,
  TRANSFORM,
  SINK;
}
