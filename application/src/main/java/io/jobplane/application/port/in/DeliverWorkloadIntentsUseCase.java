package io.jobplane.application.port.in;

/**
 * The relay's periodic pass: performs the cluster calls that no request delivered, because the
 * process died after its commit, the cluster was unreachable, or another replica wrote them.
 */
public interface DeliverWorkloadIntentsUseCase {

  /** Claims the due intents (the oldest of each job), makes their calls; returns how many. */
  int deliverDue();
}
