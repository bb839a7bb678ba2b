package io.jobplane.application.service;

import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.in.SubmitJobUseCase;
import io.jobplane.application.port.out.IdempotencyKeys;
import io.jobplane.application.port.out.JobDependencyStore;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.SecretStore;
import io.jobplane.application.port.out.TaskRepository;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.application.port.out.WorkerPresence;
import io.jobplane.application.security.AccessPolicy;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.ProjectNamespaces;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.Job;
import io.jobplane.domain.JobDependencies;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobRun;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.KubernetesPlacement;
import io.jobplane.domain.TaskState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

public final class SubmitJobService implements SubmitJobUseCase, AutoCloseable {

  private final JobRepository jobs;
  private final TaskRepository tasks;
  private final WorkerPresence presence;
  private final IdempotencyKeys keys;
  private final TransactionRunner tx;
  private final Clock clock;
  private final WorkloadOutbox workloads;
  private final ProjectNamespaces namespaces;
  private final SecretReferences secretReferences;
  private final JobDependencyStore dependencies;
  private final QueuedAdmission admission;
  private final GroupCommit<Job, JobSnapshot> groupCommit;
  private final SubmitHandOff handOff;

  private SubmitJobService(Builder b) {
    this.jobs = b.jobs;
    this.tasks = b.tasks;
    this.presence = b.presence;
    this.keys = b.keys;
    this.tx = b.tx;
    this.clock = b.clock;
    this.workloads = b.workloads;
    this.namespaces = b.namespaces;
    this.secretReferences = new SecretReferences(b.secrets);
    this.dependencies = b.dependencies;
    this.admission = new QueuedAdmission(b.limits);
    this.handOff = new SubmitHandOff(b.parked, tx);
    this.groupCommit =
        b.committers == 0
            ? null
            : new GroupCommit<>(
                "jobplane-submit-commit", b.committers, b.maxBatch, tx, this::storeTogether);
  }

  /**
   * The collaborators by name. The stores of jobs, tasks, workers and keys, the transactions and
   * the clock are required; a server without Kubernetes jobs, project namespaces, secrets,
   * dependencies or project limits may leave those out.
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Submitted submit(SubmitJobCommand command) {
    Caller caller = command.caller();
    AccessPolicy.requireSubmitTo(caller, command.definition().project());
    KubernetesPlacement placement = command.definition().kubernetes();
    if (placement != null) {
      // before the transaction: a refused placement stores nothing and reaches no cluster
      namespaces.requireAllowed(command.definition().project(), placement.namespace());
    }
    Submitted submitted = submitOnce(command);
    if (submitted.created() && submitted.job().definition().runtime() == JobRuntime.KUBERNETES) {
      // committed with its launch intent; the cluster's refusal, when it comes in time, is the
      // caller's answer (the job is then REJECTED with the same message)
      workloads.requireAccepted(submitted.job().id());
    }
    return submitted;
  }

  private Submitted submitOnce(SubmitJobCommand command) {
    Caller caller = command.caller();
    String key = command.idempotencyKey();
    if (key == null) {
      // inside a caller's transaction (a job graph, a schedule's tick) the job must commit or roll
      // back with the caller's other writes, so it is stored there
      boolean own = !tx.inProgress() && storableTogether(command);
      Optional<Submitted> handedOff =
          own && !command.suspended() ? handOff.store(command, this::create) : Optional.empty();
      if (handedOff.isPresent()) {
        return handedOff.get();
      }
      if (groupCommit != null && own) {
        Job job = newJob(command);
        secretReferences.require(job.snapshot().definition());
        Optional<JobSnapshot> stored = groupCommit.write(job);
        if (stored.isPresent()) {
          return new Submitted(stored.get(), true);
        }
      }
      return tx.inTransaction(() -> new Submitted(create(command), true));
    }
    String fingerprint = SubmitFingerprint.of(command);
    return IdempotentCreation.run(
        tx,
        () -> replay(caller, key, fingerprint),
        () -> {
          JobSnapshot stored = create(command);
          if (!keys.remember(caller.name(), key, fingerprint, stored.id(), stored.createdAt())) {
            throw new IdempotentCreation.KeyTakenMeanwhile();
          }
          return new Submitted(stored, true);
        });
  }

  private Optional<Submitted> replay(Caller caller, String key, String fingerprint) {
    return keys.find(caller.name(), key)
        .map(
            entry -> {
              if (!entry.fingerprint().equals(fingerprint)) {
                throw IdempotentCreation.mismatch(key);
              }
              JobSnapshot job =
                  jobs.findById(entry.jobId())
                      .orElseThrow(
                          () ->
                              DomainException.conflict(
                                  "Idempotency-Key '"
                                      + key
                                      + "' belongs to job "
                                      + entry.jobId()
                                      + ", which has been deleted"));
              return new Submitted(job, false);
            });
  }

  /**
   * A job that needs nothing but its rows: no key to remember, no jobs to wait for, no workers to
   * pick, no cluster resource to launch.
   */
  private static boolean storableTogether(SubmitJobCommand command) {
    return command.dependsOn() == null
        && !command.definition().isBroadcast()
        && command.definition().runtime() != JobRuntime.KUBERNETES;
  }

  /**
   * The jobs of one group commit, in its transaction: one insert of all their rows and one of all
   * their tasks. A job of a project with a queued limit is left to be stored alone, since its
   * admission counts the jobs committed before it (see {@link QueuedAdmission}).
   */
  private List<Optional<JobSnapshot>> storeTogether(List<Job> batch) {
    Set<String> projects = new HashSet<>();
    batch.forEach(j -> projects.add(j.snapshot().definition().project()));
    Set<String> limited = admission.limitedOf(projects);
    List<Job> together =
        batch.stream().filter(j -> !limited.contains(j.snapshot().definition().project())).toList();
    Map<JobId, JobSnapshot> stored = new HashMap<>();
    List<TaskState> newTasks = new ArrayList<>();
    for (JobSnapshot s : jobs.insertAll(together)) {
      stored.put(s.id(), s);
      if (s.status() == JobStatus.QUEUED || s.status() == JobStatus.SUSPENDED) {
        newTasks.addAll(JobRun.newTasks(s, 0, s.createdAt()));
      }
    }
    tasks.insert(newTasks);
    return batch.stream().map(j -> Optional.ofNullable(stored.get(j.id()))).toList();
  }

  /** Lets the submits already handed to the group commit finish; later ones commit alone. */
  @Override
  public void close() {
    if (groupCommit != null) {
      groupCommit.close();
    }
  }

  /**
   * The job row and the queued tasks of its first run (also for a suspended job); a Kubernetes job
   * gets the intent to create its resource instead, which the relay carries out after the commit.
   */
  private JobSnapshot store(Job job, List<String> broadcastTo) {
    secretReferences.require(job.snapshot().definition());
    admission.admit(job.snapshot());
    JobSnapshot stored = jobs.insert(job);
    if (stored.definition().runtime() == JobRuntime.KUBERNETES) {
      workloads.admit(stored);
      workloads.launch(stored);
    } else if (broadcastTo != null) {
      tasks.insert(JobRun.newBoundTasks(stored, 0, stored.createdAt(), broadcastTo));
    } else if (stored.status() == JobStatus.QUEUED || stored.status() == JobStatus.SUSPENDED) {
      // a job waiting for others gets its tasks when released (DependencyReleasingJobRepository)
      tasks.insert(JobRun.newTasks(stored, 0, stored.createdAt()));
    }
    return stored;
  }

  /**
   * A broadcast goes to the workers live at submit, one task each (its parallelism is their
   * number); it cannot wait for other jobs, since the workers live when it is released may be
   * others.
   */
  private SubmitJobCommand broadcast(SubmitJobCommand command, List<String> targets) {
    if (command.dependsOn() != null) {
      throw DomainException.invalid(
          "depends_on", "a broadcast job goes to the workers live at submit; it cannot wait");
    }
    return new SubmitJobCommand(
        command.caller(),
        command.definition().withParallelism(targets.size()),
        command.suspended(),
        command.idempotencyKey(),
        null);
  }

  private Job newJob(SubmitJobCommand command) {
    Instant now = Clocks.now(clock);
    Caller caller = command.caller();
    Job job = Job.submit(JobId.random(), command.definition(), caller.name(), now, caller.source());
    if (command.suspended()) {
      job.suspend(now, caller.source());
    } else if (command.dependsOn() == null) {
      job.enqueue(now, caller.source());
    }
    return job;
  }

  /**
   * Stores the edges of a job that depends on others and decides it at once from the ends already
   * known: queued, SKIPPED, or left PENDING to be decided when the rest end. The jobs it names are
   * share-locked first, so none can end unseen before the edges commit.
   */
  private Map<JobId, JobStatus> waitFor(Job job, JobDependencies dependsOn, String source) {
    Instant now = job.snapshot().createdAt();
    String project = job.snapshot().definition().project();
    Map<JobId, JobStatus> statuses = dependencies.lockForNewDependent(project, dependsOn.jobs());
    List<DomainException.FieldError> unknown = new ArrayList<>();
    Map<JobId, JobStatus> endedAs = new HashMap<>();
    for (int i = 0; i < dependsOn.jobs().size(); i++) {
      JobId id = dependsOn.jobs().get(i);
      JobStatus status = statuses.get(id);
      if (status == null) {
        // another project's job is as unknown as a missing one: nothing about it is revealed
        unknown.add(
            new DomainException.FieldError(
                "depends_on[" + i + "]", "no job " + id + " in project '" + project + "'"));
      } else if (status.isTerminal()) {
        endedAs.put(id, status);
      }
    }
    if (!unknown.isEmpty()) {
      throw new DomainException(
          DomainException.Reason.INVALID_ARGUMENT, "depends_on names unknown jobs", unknown);
    }
    JobDependencies.Standing standing = new JobDependencies.Standing(dependsOn, endedAs);
    switch (standing.verdict()) {
      case RELEASE -> job.release(dependsOn, now, source);
      case SKIP -> {
        JobId unmet = standing.firstUnacceptable().orElseThrow();
        job.skip(unmet, endedAs.get(unmet), now, source);
      }
      case WAIT -> {
        // PENDING until the last of them ends
      }
    }
    return endedAs;
  }

  /** A new job, decided and stored with its tasks (and its edges, when it depends on others). */
  private JobSnapshot create(SubmitJobCommand submitted) {
    List<String> targets =
        submitted.definition().isBroadcast()
            ? Broadcasts.targets(presence, submitted.definition(), Clocks.now(clock))
            : null;
    SubmitJobCommand command = targets == null ? submitted : broadcast(submitted, targets);
    Job job = newJob(command);
    JobDependencies dependsOn = command.dependsOn();
    Map<JobId, JobStatus> endedAs =
        dependsOn == null ? null : waitFor(job, dependsOn, command.caller().source());
    JobSnapshot stored = store(job, targets);
    if (dependsOn != null) {
      dependencies.insert(stored.id(), dependsOn, endedAs);
    }
    return stored;
  }

  /** Names each collaborator of a {@link SubmitJobService}; read once, by {@link #build}. */
  public static final class Builder extends CollaboratorsBuilder<Builder> {
    private IdempotencyKeys keys;
    private WorkloadOutbox workloads = WorkloadOutbox.disabled();
    private ProjectNamespaces namespaces = ProjectNamespaces.NONE;
    private SecretStore secrets = SecretStore.NONE;
    private int committers;
    private int maxBatch = 1;
    private ParkedClaims parked = ParkedClaims.NONE;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    public Builder keys(IdempotencyKeys keys) {
      this.keys = keys;
      return this;
    }

    /** Where a Kubernetes job's launch intent goes. */
    public Builder workloads(WorkloadOutbox workloads) {
      this.workloads = workloads;
      return this;
    }

    /** Where each project's Kubernetes jobs may be placed. */
    public Builder namespaces(ProjectNamespaces namespaces) {
      this.namespaces = namespaces;
      return this;
    }

    /** Where the secrets a worker job's env references must exist at submit. */
    public Builder secrets(SecretStore secrets) {
      this.secrets = secrets;
      return this;
    }

    /**
     * Submits that need only their rows are stored together by up to {@code committers} threads, at
     * most {@code maxBatch} a transaction ({@link GroupCommit}); without this, each submit commits
     * alone on its caller's thread.
     */
    public Builder groupCommit(int committers, int maxBatch) {
      if (committers < 1 || maxBatch < 1) {
        throw new IllegalArgumentException("committers and maxBatch must be at least 1");
      }
      this.committers = committers;
      this.maxBatch = maxBatch;
      return this;
    }

    /** Workers' parked claims, which claim for a new job in the transaction that stores it. */
    public Builder parkedClaims(ParkedClaims parked) {
      this.parked = parked;
      return this;
    }

    public SubmitJobService build() {
      requireNamed();
      Objects.requireNonNull(keys, "keys");
      Objects.requireNonNull(workloads, "workloads");
      Objects.requireNonNull(namespaces, "namespaces");
      Objects.requireNonNull(secrets, "secrets");
      Objects.requireNonNull(parked, "parked");
      return new SubmitJobService(this);
    }
  }
}
