package io.jobplane.app.worker;

import io.jobplane.app.worker.WorkerApi.ApiException;
import io.jobplane.client.model.ClaimRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundled worker: claims tasks over the worker protocol, never more than {@code concurrency} at
 * once, and runs each in a {@link TaskRun}. It is a client of the HTTP API through the generated
 * SDK, like any user's program ({@link WorkerApi} alone calls it), and knows nothing of the
 * server's classes.
 *
 * <p>On {@link #close()} it stops claiming, lets running tasks finish for the shutdown grace, then
 * terminates the rest and fails them as retryable with reason {@code WORKER_SHUTDOWN}, so another
 * worker picks them up.
 */
public final class Worker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Worker.class);

  private final WorkerSettings settings;
  private final WorkerApi api;
  private final ReportBuffer reports;
  private final Semaphore slots;
  private final ConcurrentMap<String, TaskRun> running = new ConcurrentHashMap<>();
  private final ExecutorService taskThreads;
  private final ScheduledExecutorService timers;
  private final CountDownLatch stopClaiming = new CountDownLatch(1);
  private final CountDownLatch terminated = new CountDownLatch(1);
  private volatile boolean fatal;
  private Thread loop;
  private final Object claimLock = new Object();
  private Thread claiming; // guarded by claimLock: the loop while a claim is in flight

  public Worker(WorkerSettings settings) {
    this.settings = settings;
    this.api = new WorkerApi(settings);
    this.reports = new ReportBuffer(api, settings.reportInterval());
    this.slots = new Semaphore(settings.concurrency());
    this.taskThreads = Executors.newCachedThreadPool(named("task-"));
    this.timers =
        Executors.newScheduledThreadPool(Math.max(2, settings.concurrency() * 2), named("timer-"));
  }

  /** {@code <hostname>-<8 random hex digits>}. */
  public static String defaultWorkerId(String hostname) {
    byte[] b = new byte[4];
    new SecureRandom().nextBytes(b);
    String id = hostname + "-" + HexFormat.of().formatHex(b);
    return id.length() <= 128 ? id : id.substring(id.length() - 128);
  }

  public static String localHostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      String env = System.getenv("HOSTNAME");
      return env == null || env.isBlank() ? "unknown-host" : env;
    }
  }

  /** Starts the claim loop on its own thread. */
  public synchronized Worker start() {
    if (loop == null) {
      loop = new Thread(this::claimLoop, "worker-claims");
      loop.start();
    }
    return this;
  }

  /** Number of tasks running right now. */
  public int running() {
    return running.size();
  }

  /** Waits until the worker has stopped; false when it stopped on a fatal error (bad token). */
  public boolean awaitTermination() throws InterruptedException {
    terminated.await();
    return !fatal;
  }

  @Override
  public void close() {
    stopClaiming.countDown();
    synchronized (claimLock) {
      if (claiming != null) {
        claiming.interrupt(); // a claim waiting for work must not hold up the shutdown
      }
    }
    synchronized (this) {
      if (loop == null) {
        taskThreads.shutdownNow();
        timers.shutdownNow();
        reports.close();
        terminated.countDown();
        return;
      }
    }
    Duration most = settings.shutdownGrace().plus(settings.killGrace()).plusSeconds(30);
    try {
      if (!terminated.await(most.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("Worker did not stop within {}", most);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void claimLoop() {
    log.info(
        "Worker {} on {} claiming from {} (queues {}, types {}, concurrency {}, lease {} s)",
        settings.workerId(),
        settings.hostname(),
        settings.server(),
        settings.queues(),
        settings.types().isEmpty() ? "any" : settings.types(),
        settings.concurrency(),
        settings.leaseSeconds());
    try {
      while (stopClaiming.getCount() > 0) {
        if (!slots.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
          continue;
        }
        int free = 1 + slots.drainPermits();
        if (stopClaiming.getCount() == 0) {
          slots.release(free);
          break;
        }
        List<Lease> leases;
        long claimedAt = System.nanoTime();
        try {
          leases = claim(free);
        } catch (ApiException e) {
          slots.release(free);
          if (stopClaiming.getCount() == 0) {
            if (!settings.claimWait().isZero()) {
              api.releaseWaitingClaim(settings.workerId()); // close() cut the claim short
            }
            break;
          }
          if (e.status == 401 || e.status == 403) {
            log.error("The server refused the worker's token: {}", e.getMessage());
            fatal = true;
            break;
          }
          if (e.status == 0) {
            // the retry window that just ended has said so once already
            log.debug("Claiming tasks failed: {}", e.getMessage());
          } else {
            log.warn("Claiming tasks failed: {}", e.getMessage());
          }
          pause();
          continue;
        }
        int used = 0;
        for (Lease lease : leases) {
          if (used >= free) {
            log.warn(
                "The server granted more than the {} tasks asked for; ignoring {}", free, lease);
          } else if (launch(lease)) {
            used++;
          }
        }
        slots.release(free - used);
        if (used == 0 && !waitedAtServer(claimedAt)) {
          pause();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("The claim loop failed", e);
      fatal = true;
    } finally {
      drain();
      terminated.countDown();
    }
  }

  /** Claims with {@code wait_seconds}; {@link #close()} interrupts it. */
  private List<Lease> claim(int free) {
    synchronized (claimLock) {
      claiming = Thread.currentThread();
    }
    try {
      return api.claim(claimRequest(free));
    } finally {
      synchronized (claimLock) {
        claiming = null;
        Thread.interrupted(); // an interrupt from close() was meant for the claim only
      }
    }
  }

  /**
   * Whether an empty answer came after the server held the claim (long-polling), so that claiming
   * again at once sends one claim per wait. An empty answer that came sooner (a server that does
   * not wait, or one shutting down) is followed by the poll interval, as in polling.
   */
  private boolean waitedAtServer(long claimedAt) {
    return !settings.claimWait().isZero()
        && System.nanoTime() - claimedAt >= settings.pollInterval().toNanos();
  }

  /**
   * Without types, labels or a wait, none is sent (the SDK would send its defaults, [] and 0): a
   * server from before long-polling refuses {@code wait_seconds} as an unknown field.
   */
  private ClaimRequest claimRequest(int maxTasks) {
    return new ClaimRequest()
        .workerId(settings.workerId())
        .hostname(settings.hostname())
        .queues(List.copyOf(settings.queues()))
        .types(settings.types().isEmpty() ? null : List.copyOf(settings.types()))
        .maxTasks(maxTasks)
        .leaseSeconds(settings.leaseSeconds())
        .waitSeconds(settings.claimWait().isZero() ? null : (int) settings.claimWait().toSeconds())
        .labels(settings.labels().isEmpty() ? null : new TreeMap<>(settings.labels()));
  }

  private boolean launch(Lease lease) {
    TaskRun run = new TaskRun(lease, api, reports, settings, timers, this::finished);
    TaskRun already = running.putIfAbsent(lease.key(), run);
    if (already != null) {
      log.warn(
          "Refusing {}: this worker already runs that task ({}); not running it twice",
          lease,
          already.lease());
      return false;
    }
    log.info("Leased {}", lease);
    taskThreads.execute(run);
    return true;
  }

  private void finished(TaskRun run) {
    if (running.remove(run.lease().key(), run)) {
      slots.release();
    }
  }

  private void pause() throws InterruptedException {
    stopClaiming.await(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void drain() {
    try {
      if (!running.isEmpty()) {
        log.info(
            "Stopped claiming; letting {} running task(s) finish for up to {} s",
            running.size(),
            settings.shutdownGrace().toSeconds());
        if (!waitForRunning(settings.shutdownGrace())) {
          log.warn(
              "{} task(s) still running after the shutdown grace; stopping them as WORKER_SHUTDOWN",
              running.size());
          running.values().forEach(TaskRun::stopForShutdown);
          waitForRunning(settings.killGrace().plus(settings.retryMaxDuration()));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      taskThreads.shutdownNow();
      timers.shutdownNow();
      reports.close(); // after the tasks: their last reports go through it
      log.info("Worker {} stopped", settings.workerId());
    }
  }

  private boolean waitForRunning(Duration most) throws InterruptedException {
    long deadline = System.nanoTime() + most.toNanos();
    while (!running.isEmpty()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
