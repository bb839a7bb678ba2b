package io.jobplane.app.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.app.worker.WorkerApi.ApiException;
import io.jobplane.app.worker.WorkerApi.LeaseLostException;
import io.jobplane.client.model.LogLineReport;
import io.jobplane.client.model.LogsReport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class LogShipperTest {

  private final List<LogsReport> sent = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final LogShipper logs = new LogShipper("task", sent::add, closed::get);

  @Test
  void linesWaitForTheFlushUntilABatchIsFull() {
    for (int i = 0; i < LogShipper.BATCH_LINES - 1; i++) {
      logs.add(true, "line " + i);
    }
    assertThat(sent).isEmpty();

    logs.add(true, "the last of a batch");

    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).getLines()).hasSize(LogShipper.BATCH_LINES);
    assertThat(sent.get(0).getLines().get(0).getMessage()).isEqualTo("line 0");
  }

  @Test
  void aFlushSendsWhatWaitsInOneCallAndAnEmptyFlushSendsNothing() {
    logs.add(true, "one");
    logs.add(false, "two");
    logs.flush();
    logs.flush();

    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).getLines())
        .extracting(LogLineReport::getMessage)
        .containsExactly("one", "two");
  }

  @Test
  void stdoutIsInfoAndStderrWarnOrErrorAndTextIsMadeStorable() {
    logs.add(true, "\u001B[32mgreen\u001B[0m");
    logs.add(false, "careful");
    logs.add(false, "ERROR broken");
    logs.flush();

    List<LogLineReport> lines = sent.get(0).getLines();
    assertThat(lines)
        .extracting(LogLineReport::getLevel, LogLineReport::getStream, LogLineReport::getMessage)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                LogLineReport.LevelEnum.INFO, LogLineReport.StreamEnum.STDOUT, "green"),
            org.assertj.core.groups.Tuple.tuple(
                LogLineReport.LevelEnum.WARN, LogLineReport.StreamEnum.STDERR, "careful"),
            org.assertj.core.groups.Tuple.tuple(
                LogLineReport.LevelEnum.ERROR, LogLineReport.StreamEnum.STDERR, "ERROR broken"));
    assertThat(lines).allSatisfy(l -> assertThat(l.getTimestamp()).isNotNull());
  }

  @Test
  void aLongLineIsCut() {
    logs.add(true, "x".repeat(LogShipper.MAX_LINE_CHARS + 10));
    logs.flush();

    assertThat(sent.get(0).getLines().get(0).getMessage())
        .hasSize(LogShipper.MAX_LINE_CHARS + 1)
        .endsWith("…");
  }

  @Test
  void aRefusedCallDropsItsLinesAndTheNextFlushSendsOnlyNewOnes() {
    List<LogsReport> accepted = new ArrayList<>();
    AtomicBoolean refuse = new AtomicBoolean(true);
    LogShipper flaky =
        new LogShipper(
            "task",
            batch -> {
              if (refuse.get()) {
                throw new ApiException(500, "down", null);
              }
              accepted.add(batch);
            },
            closed::get);
    flaky.add(true, "lost");
    flaky.flush();
    refuse.set(false);
    flaky.add(true, "kept");
    flaky.flush();

    assertThat(accepted).hasSize(1);
    assertThat(accepted.get(0).getLines())
        .extracting(LogLineReport::getMessage)
        .containsExactly("kept");
  }

  @Test
  void aLostLeaseIsNotSwallowed() {
    LogShipper refused =
        new LogShipper(
            "task",
            batch -> {
              throw new LeaseLostException("stale");
            },
            closed::get);
    refused.add(true, "line");

    assertThatThrownBy(refused::flush).isInstanceOf(LeaseLostException.class);
  }

  @Test
  void onceClosedNothingIsSent() {
    logs.add(true, "too late");
    closed.set(true);
    logs.flush();

    assertThat(sent).isEmpty();
  }
}
