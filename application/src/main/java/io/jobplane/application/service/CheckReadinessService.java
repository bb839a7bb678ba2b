package io.jobplane.application.service;

import io.jobplane.application.port.in.CheckReadinessUseCase;
import io.jobplane.application.port.out.StoreHealth;

public final class CheckReadinessService implements CheckReadinessUseCase {

  private final StoreHealth store;

  public CheckReadinessService(StoreHealth store) {
    this.store = store;
  }

  @Override
  public boolean isReady() {
    return store.isReachable();
  }
}
