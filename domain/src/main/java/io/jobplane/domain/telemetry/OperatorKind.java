package io.jobplane.domain.telemetry;

/** The role of an operator in a pipeline. */
public enum OperatorKind {
  SOURCE,
  TRANSFORM,
  SINK;

  public static OperatorKind parse(String text, String field) {
    return Telemetry.parse(OperatorKind.class, text, field);
  }

  public String wireName() {
    return Telemetry.wire(this);
  }
}
