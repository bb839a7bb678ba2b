package io.jobplane.application.port.out;

import io.jobplane.domain.JobDependencies;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobStatus;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The edges from jobs waiting in PENDING to the jobs they depend on, each with what that job ended
 * as once it has. Called inside the caller's transaction.
 */
public interface JobDependencyStore {

  /**
   * Statuses of the named jobs of {@code project}, each row share-locked until the transaction
   * ends, so none of them can end between this read and the commit of the edges that name them (its
   * end would then miss the new edge). Jobs that do not exist or belong to another project are
   * absent.
   */
  Map<JobId, JobStatus> lockForNewDependent(String project, Collection<JobId> ids);

  /** The edges of a new waiting job, with the ends already known (absent: not ended). */
  void insert(JobId job, JobDependencies dependencies, Map<JobId, JobStatus> endedAs);

  /**
   * Records these ends on every edge to them that has none yet, and returns the jobs those edges
   * belong to, in id order, without duplicates: the waiting jobs whose verdict may have changed.
   */
  List<JobId> recordEnds(Map<JobId, JobStatus> ended);

  /** The standing of a job that has dependencies. */
  Optional<JobDependencies.Standing> standing(JobId job);

  /** For stores without dependencies (tests of unrelated services). */
  JobDependencyStore NONE =
      new JobDependencyStore() {
        @Override
        public Map<JobId, JobStatus> lockForNewDependent(String project, Collection<JobId> ids) {
          return Map.of();
        }

        @Override
        public void insert(JobId job, JobDependencies dependencies, Map<JobId, JobStatus> endedAs) {
          throw new UnsupportedOperationException("this store keeps no dependencies");
        }

        @Override
        public List<JobId> recordEnds(Map<JobId, JobStatus> ended) {
          return List.of();
        }

        @Override
        public Optional<JobDependencies.Standing> standing(JobId job) {
          return Optional.empty();
        }
      };
}
