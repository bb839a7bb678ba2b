package io.jobplane.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskSummaryTest {

  private static TaskState task(int index, TaskStatus status, String output) {
    return TaskState.builder()
        .jobId(new JobId(new java.util.UUID(0, 1)))
        .runId(1)
        .index(index)
        .status(status)
        .attempt(1)
        .availableAt(Instant.EPOCH)
        .output(output)
        .build();
  }

  @Test
  void counting_by_status_buckets_as_reading_the_tasks_does() {
    List<TaskState> tasks = new ArrayList<>();
    TaskStatus[] statuses = TaskStatus.values();
    for (int i = 0; i < statuses.length * 2; i++) {
      tasks.add(task(i, statuses[i % statuses.length], null));
    }
    Map<TaskStatus, Integer> byStatus = new java.util.EnumMap<>(TaskStatus.class);
    tasks.forEach(t -> byStatus.merge(t.status(), 1, Integer::sum));

    TaskSummary read = TaskSummary.of(tasks);
    TaskSummary counted = TaskSummary.counted(byStatus);

    assertThat(counted.total()).isEqualTo(read.total());
    assertThat(
            List.of(
                counted.pending(),
                counted.running(),
                counted.completed(),
                counted.failed(),
                counted.stopped()))
        .isEqualTo(
            List.of(
                read.pending(), read.running(), read.completed(), read.failed(), read.stopped()));
    assertThat(counted.failed()).isEqualTo(4); // FAILED and TIMED_OUT
    assertThat(counted.items()).isNull();
    assertThat(counted.outputJson()).isNull();
  }

  @Test
  void one_output_is_shown_as_is_several_as_an_array_by_index() {
    assertThat(TaskSummary.outputJson(List.of("{\"a\":1}"))).isEqualTo("{\"a\":1}");
    assertThat(TaskSummary.outputJson(Arrays.asList(null, "{\"b\":2}")))
        .isEqualTo("[null,{\"b\":2}]");
    assertThat(TaskSummary.outputJson(Arrays.asList(null, null))).isNull();
    assertThat(TaskSummary.outputJson(List.of())).isNull();
    assertThat(TaskSummary.of(List.of(task(0, TaskStatus.SUCCEEDED, "{\"a\":1}"))).outputJson())
        .isEqualTo("{\"a\":1}");
  }
}
