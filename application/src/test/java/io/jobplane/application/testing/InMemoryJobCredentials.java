package io.jobplane.application.testing;

import io.jobplane.application.port.out.JobCredentials;
import io.jobplane.domain.JobId;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Run credential hashes in a map. */
public final class InMemoryJobCredentials implements JobCredentials {

  private final Map<ByteBuffer, RunCredential> byHash = new HashMap<>();

  @Override
  public synchronized void store(byte[] sha256, JobId jobId, int runId, Instant createdAt) {
    byHash.put(ByteBuffer.wrap(sha256.clone()), new RunCredential(jobId, runId));
  }

  @Override
  public synchronized Optional<RunCredential> find(byte[] sha256) {
    return Optional.ofNullable(byHash.get(ByteBuffer.wrap(sha256)));
  }

  public synchronized int size() {
    return byHash.size();
  }
}
