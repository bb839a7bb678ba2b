package io.jobplane.application.port.in;

public interface CheckReadinessUseCase {

  boolean isReady();
}
