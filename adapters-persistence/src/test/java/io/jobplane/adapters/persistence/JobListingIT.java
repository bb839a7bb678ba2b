package io.jobplane.adapters.persistence;

import static io.jobplane.adapters.persistence.TestJobs.T0;
import static io.jobplane.adapters.persistence.TestJobs.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.out.JobRepository;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.Job;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.query.Cursor;
import io.jobplane.domain.query.JobFilter;
import io.jobplane.domain.query.JobPage;
import io.jobplane.domain.query.JobQuery;
import io.jobplane.domain.query.LabelSelector;
import io.jobplane.domain.query.PageRequest;
import io.jobplane.domain.query.Sort;
import io.jobplane.domain.query.SortField;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lists over ~300 jobs with many equal sort values, checked against the reference semantics: {@link
 * JobFilter#matches} and an in-memory sort.
 */
class JobListingIT {

  private static final int JOBS = 300;
  private static final List<String> NAMES =
      List.of(
          "nightly import",
          "Nightly Export",
          "100% done",
          "100 percent",
          "a_b",
          "axb",
          "back\\slash",
          "report",
          "Report",
          "zeta");

  private static PostgresStore STORE;
  private static JobRepository REPO;
  private static final List<JobSnapshot> ALL_JOBS = new ArrayList<>();

  @BeforeAll
  static void storeJobs() {
    STORE = TestDatabase.store();
    REPO = STORE.jobRepository();
    TestDatabase.reset();
    Random random = new Random(42);
    JobStatus[] statuses = JobStatus.values();
    List<JobSnapshot> generated = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      int n = i;
      generated.add(
          job()
              .with(
                  j -> {
                    j.name = NAMES.get(random.nextInt(NAMES.size()));
                    j.project = pick(random, "alpha", "beta", "gamma");
                    j.type = pick(random, "etl", "ml", "report");
                    j.queue = pick(random, "default", "fast");
                    j.status = statuses[random.nextInt(statuses.length)];
                    j.priority = pick(random, -5, 0, 0, 5, 10);
                    j.progress = random.nextInt(10) < 4 ? null : pick(random, 0, 50, 100);
                    j.createdBy = pick(random, "alice", "bob", "carol");
                    j.createdAt = T0.plusSeconds(n % 10); // 30 jobs per instant
                    j.updatedAt = T0.plusSeconds(10 + random.nextInt(20));
                    Map<String, String> labels = new HashMap<>();
                    String env = pick(random, "prod", "dev", null);
                    if (env != null) {
                      labels.put("env", env);
                    }
                    String tier = pick(random, "web", "db", null);
                    if (tier != null) {
                      labels.put("tier", tier);
                    }
                    if (random.nextInt(10) < 3) {
                      labels.put("gpu", pick(random, "", "a100"));
                    }
                    j.labels = labels;
                  })
              .snapshot());
    }
    STORE
        .transactions()
        .inTransaction(
            () -> {
              for (JobSnapshot s : generated) {
                ALL_JOBS.add(REPO.insert(Job.restore(s)));
              }
              return null;
            });
  }

  @SafeVarargs
  private static <T> T pick(Random random, T... values) {
    return values[random.nextInt(values.length)];
  }

  // ---------------------------------------------------------------- filters and counts

  static Stream<Arguments> filters() {
    return Stream.of(
        Arguments.of("everything", filter(f -> {})),
        Arguments.of("one status", filter(f -> f.statuses = Set.of(JobStatus.FAILED))),
        Arguments.of(
            "statuses and type",
            filter(
                f -> {
                  f.statuses = Set.of(JobStatus.QUEUED, JobStatus.RUNNING);
                  f.type = "etl";
                })),
        Arguments.of("project", filter(f -> f.project = "beta")),
        Arguments.of(
            "type, project and statuses",
            filter(
                f -> {
                  f.type = "ml";
                  f.project = "gamma";
                  f.statuses = EnumSet.of(JobStatus.SUCCEEDED, JobStatus.STOPPED);
                })),
        Arguments.of("visible projects", filter(f -> f.visible = Set.of("alpha", "gamma"))),
        Arguments.of("no visible project", filter(f -> f.visible = Set.of())),
        Arguments.of(
            "statuses within visible projects",
            filter(
                f -> {
                  f.visible = Set.of("beta");
                  f.statuses = Set.of(JobStatus.PENDING, JobStatus.REJECTED);
                })),
        Arguments.of("queue", filter(f -> f.queue = "fast")),
        Arguments.of("runtime", filter(f -> f.runtime = JobRuntime.WORKER)),
        Arguments.of("label equals", filter(f -> f.labels = "env=prod")),
        Arguments.of("label equals empty value", filter(f -> f.labels = "gpu=")),
        Arguments.of("label not equals", filter(f -> f.labels = "env!=prod")),
        Arguments.of("label exists", filter(f -> f.labels = "gpu")),
        Arguments.of("label does not exist", filter(f -> f.labels = "!gpu")),
        Arguments.of("unknown label exists", filter(f -> f.labels = "nothing.io/here")),
        Arguments.of(
            "several label requirements", filter(f -> f.labels = "env=prod,tier!=web,gpu")),
        Arguments.of("created by", filter(f -> f.createdBy = "bob")),
        Arguments.of(
            "created between",
            filter(
                f -> {
                  f.after = T0.plusSeconds(3);
                  f.before = T0.plusSeconds(7);
                })),
        Arguments.of("created after", filter(f -> f.after = T0.plusSeconds(8))),
        Arguments.of("search with %", filter(f -> f.search = "0%")),
        Arguments.of("search with _", filter(f -> f.search = "a_b")),
        Arguments.of("search with backslash", filter(f -> f.search = "\\")),
        Arguments.of("search ignores case", filter(f -> f.search = "REPORT")),
        Arguments.of("search substring", filter(f -> f.search = "ight")),
        Arguments.of(
            "everything combined",
            filter(
                f -> {
                  f.statuses = Set.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.QUEUED);
                  f.visible = Set.of("alpha", "beta");
                  f.labels = "tier=db";
                  f.search = "o";
                  f.createdBy = "alice";
                  f.queue = "default";
                })));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filters")
  void aFilteredListHasExactlyTheMatchingJobsTheirTotalAndStatusCounts(
      String description, JobFilter filter) {
    assertMatchesReference(filter);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filters")
  void countsFromTheSummaryTableEqualCountsFromScanningJobs(String description, JobFilter filter) {
    if (!filter.countableFromSummary() || filter.createdAfter() != null) {
      return;
    }
    // the same jobs, but a constraint the summary table cannot answer forces the scan path
    JobFilter scanned =
        new JobFilter(
            filter.statuses(),
            filter.type(),
            filter.project(),
            filter.queue(),
            filter.runtime(),
            filter.labels(),
            filter.createdBy(),
            Instant.EPOCH,
            filter.createdBefore(),
            filter.search(),
            filter.visibleProjects());
    assertThat(scanned.countableFromSummary()).isFalse();

    JobPage summary = REPO.list(new JobQuery(filter, null, PageRequest.first(1)));
    JobPage scan = REPO.list(new JobQuery(scanned, null, PageRequest.first(1)));

    assertThat(scan.statusCounts()).isEqualTo(summary.statusCounts());
    assertThat(scan.page().total()).isEqualTo(summary.page().total());
    assertMatchesReference(scanned);
  }

  @Test
  void countByStatusCountsEveryJob() {
    assertThat(REPO.countByStatus()).isEqualTo(bruteForceCounts(JobFilter.ALL));
  }

  private static void assertMatchesReference(JobFilter filter) {
    List<JobSnapshot> expected = expected(filter, Sort.DEFAULT);
    List<JobSnapshot> actual = new ArrayList<>();
    PageRequest request = PageRequest.first(100);
    while (true) {
      JobPage page = REPO.list(new JobQuery(filter, Sort.DEFAULT, request));
      assertThat(page.page().total()).isEqualTo(expected.size());
      assertThat(page.statusCounts()).isEqualTo(bruteForceCounts(filter.withoutStatuses()));
      actual.addAll(page.page().items());
      if (!page.page().hasMore()) {
        assertThat(page.page().nextCursor()).isNull();
        break;
      }
      request = new PageRequest(100, 0, Cursor.decode(page.page().nextCursor()));
    }
    assertThat(actual).containsExactlyElementsOf(expected);
  }

  @Test
  void theReferenceDataCoversWhatTheFiltersTest() {
    assertThat(expected(filter(f -> f.search = "0%"), Sort.DEFAULT))
        .isNotEmpty()
        .allSatisfy(j -> assertThat(j.definition().name()).isEqualTo("100% done"));
    assertThat(expected(filter(f -> f.search = "a_b"), Sort.DEFAULT))
        .isNotEmpty()
        .allSatisfy(j -> assertThat(j.definition().name()).isEqualTo("a_b"));
    assertThat(expected(filter(f -> f.search = "\\"), Sort.DEFAULT))
        .isNotEmpty()
        .allSatisfy(j -> assertThat(j.definition().name()).isEqualTo("back\\slash"));
    assertThat(expected(filter(f -> f.labels = "env=prod,tier!=web,gpu"), Sort.DEFAULT))
        .isNotEmpty();
    assertThat(
            expected(
                filter(
                    f -> {
                      f.statuses = Set.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.QUEUED);
                      f.visible = Set.of("alpha", "beta");
                      f.labels = "tier=db";
                      f.search = "o";
                      f.createdBy = "alice";
                      f.queue = "default";
                    }),
                Sort.DEFAULT))
        .isNotEmpty();
  }

  // ---------------------------------------------------------------- sorting and paging

  static Stream<String> sorts() {
    List<String> sorts = new ArrayList<>();
    for (SortField f : SortField.values()) {
      sorts.add(f.wireName());
      sorts.add("-" + f.wireName());
    }
    sorts.add("-priority,created_at");
    sorts.add("status,-progress,name");
    sorts.add("progress,-updated_at");
    sorts.add("-name,-created_at");
    return sorts.stream();
  }

  @ParameterizedTest(name = "sort={0}")
  @MethodSource("sorts")
  void offsetPagesReturnEveryJobOnceInTheReferenceOrder(String wire) {
    Sort sort = Sort.parse(wire);
    for (JobFilter filter : List.of(JobFilter.ALL, filter(f -> f.project = "alpha"))) {
      List<JobSnapshot> expected = expected(filter, sort);
      List<JobSnapshot> actual = new ArrayList<>();
      int limit = 37;
      for (int offset = 0; ; offset += limit) {
        JobPage page = REPO.list(new JobQuery(filter, sort, new PageRequest(limit, offset, null)));
        assertThat(page.page().total()).isEqualTo(expected.size());
        assertThat(page.page().offset()).isEqualTo(offset);
        assertThat(page.page().limit()).isEqualTo(limit);
        actual.addAll(page.page().items());
        assertThat(page.page().hasMore()).isEqualTo(actual.size() < expected.size());
        assertThat(page.page().nextCursor() != null).isEqualTo(page.page().hasMore());
        if (!page.page().hasMore()) {
          break;
        }
      }
      assertThat(ids(actual)).containsExactlyElementsOf(ids(expected));
    }
  }

  @ParameterizedTest(name = "sort={0}")
  @MethodSource("sorts")
  void cursorPagesReturnEveryJobOnceInTheReferenceOrder(String wire) {
    Sort sort = Sort.parse(wire);
    for (JobFilter filter : List.of(JobFilter.ALL, filter(f -> f.labels = "!gpu"))) {
      List<JobSnapshot> expected = expected(filter, sort);
      List<JobSnapshot> actual = new ArrayList<>();
      PageRequest request = PageRequest.first(41);
      while (true) {
        JobPage page = REPO.list(new JobQuery(filter, sort, request));
        assertThat(page.page().total()).isEqualTo(expected.size());
        actual.addAll(page.page().items());
        if (!page.page().hasMore()) {
          assertThat(page.page().nextCursor()).isNull();
          break;
        }
        request = PageRequest.of(41, null, page.page().nextCursor());
      }
      assertThat(ids(actual)).containsExactlyElementsOf(ids(expected));
    }
  }

  @Test
  void theCursorOfAnOffsetPageContinuesRightAfterIt() {
    Sort sort = Sort.parse("-priority,name");
    List<JobSnapshot> expected = expected(JobFilter.ALL, sort);

    JobPage second = REPO.list(new JobQuery(null, sort, new PageRequest(25, 25, null)));
    JobPage next =
        REPO.list(new JobQuery(null, sort, PageRequest.of(30, null, second.page().nextCursor())));

    assertThat(ids(second.page().items())).isEqualTo(ids(expected.subList(25, 50)));
    assertThat(ids(next.page().items())).isEqualTo(ids(expected.subList(50, 80)));
  }

  @Test
  void aCursorIsRefusedForAnotherSortOrAnotherFilter() {
    JobPage first = REPO.list(new JobQuery(null, Sort.parse("name"), PageRequest.first(10)));
    String cursor = first.page().nextCursor();

    assertThatThrownBy(
            () ->
                REPO.list(
                    new JobQuery(null, Sort.parse("-name"), PageRequest.of(10, null, cursor))))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.INVALID_ARGUMENT));
    assertThatThrownBy(
            () ->
                REPO.list(
                    new JobQuery(
                        filter(f -> f.project = "alpha"),
                        Sort.parse("name"),
                        PageRequest.of(10, null, cursor))))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.INVALID_ARGUMENT));
  }

  @Test
  void aCursorWithATamperedValueIsAnInvalidArgument() {
    for (String sort : List.of("-created_at", "priority", "progress")) {
      Cursor forged =
          new Cursor(
              sort, JobFilter.ALL.fingerprint(), List.of("not-a-value"), JobId.random().value());
      JobQuery query = new JobQuery(null, Sort.parse(sort), new PageRequest(10, 0, forged));

      assertThatThrownBy(() -> REPO.list(query))
          .isInstanceOfSatisfying(
              DomainException.class,
              e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.INVALID_ARGUMENT));
    }
  }

  // ---------------------------------------------------------------- reference semantics

  private static List<JobSnapshot> expected(JobFilter filter, Sort sort) {
    return ALL_JOBS.stream().filter(filter::matches).sorted(comparator(sort)).toList();
  }

  private static Map<JobStatus, Long> bruteForceCounts(JobFilter filter) {
    Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
    for (JobStatus s : JobStatus.values()) {
      counts.put(s, ALL_JOBS.stream().filter(filter::matches).filter(j -> j.status() == s).count());
    }
    return counts;
  }

  /** The order the adapter promises: sort keys, then the id (PostgreSQL uuid = text order). */
  static Comparator<JobSnapshot> comparator(Sort sort) {
    Comparator<JobSnapshot> result = null;
    for (Sort.Key key : sort.keys()) {
      Comparator<JobSnapshot> c =
          switch (key.field()) {
            case CREATED_AT -> Comparator.comparing(JobSnapshot::createdAt);
            case UPDATED_AT -> Comparator.comparing(JobSnapshot::updatedAt);
            case NAME -> Comparator.comparing(j -> j.definition().name());
            case STATUS -> Comparator.comparing(j -> j.status().name());
            case PRIORITY -> Comparator.comparingInt(j -> j.definition().priority());
            case PROGRESS -> Comparator.comparingInt(j -> j.progress() == null ? -1 : j.progress());
          };
      c = key.descending() ? c.reversed() : c;
      result = result == null ? c : result.thenComparing(c);
    }
    Comparator<JobSnapshot> byId = Comparator.comparing(j -> j.id().toString());
    return result.thenComparing(sort.idDescending() ? byId.reversed() : byId);
  }

  private static List<JobId> ids(List<JobSnapshot> jobs) {
    return jobs.stream().map(JobSnapshot::id).toList();
  }

  /** Mutable filter parts, for readable test cases. */
  static final class F {
    Set<JobStatus> statuses;
    String type;
    String project;
    String queue;
    JobRuntime runtime;
    String labels;
    String createdBy;
    Instant after;
    Instant before;
    String search;
    Set<String> visible;
  }

  static JobFilter filter(Consumer<F> parts) {
    F f = new F();
    parts.accept(f);
    return new JobFilter(
        f.statuses == null ? null : new HashSet<>(f.statuses),
        f.type,
        f.project,
        f.queue,
        f.runtime,
        LabelSelector.parse(f.labels),
        f.createdBy,
        f.after,
        f.before,
        f.search,
        f.visible);
  }
}
