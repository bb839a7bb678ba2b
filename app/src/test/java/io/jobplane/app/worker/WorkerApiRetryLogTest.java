package io.jobplane.app.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jobplane.client.model.ClaimRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A worker whose server is down says so once per retry window, in words, without a trace. */
class WorkerApiRetryLogTest {

  private final Logger logger = (Logger) LoggerFactory.getLogger(WorkerApi.class);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  private Level level;

  @BeforeEach
  void capture() {
    level = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    logged.start();
    logger.addAppender(logged);
  }

  @AfterEach
  void release() {
    logger.detachAppender(logged);
    logger.setLevel(level);
  }

  @Test
  void aDeadServerIsOneHumanLinePerRetryWindow() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      port = probe.getLocalPort(); // closed again: nothing listens there
    }
    WorkerApi api =
        new WorkerApi(
            new WorkerSettings(
                URI.create("http://127.0.0.1:" + port),
                "jpt_token",
                List.of("default"),
                List.of(),
                1,
                5,
                "w",
                "h",
                Duration.ofMillis(50),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Duration.ofMillis(20),
                Duration.ofMillis(50),
                Duration.ofMillis(600)));

    for (int window = 0; window < 2; window++) {
      assertThatThrownBy(() -> api.claim(new ClaimRequest().workerId("w")))
          .isInstanceOf(WorkerApi.ApiException.class)
          .hasMessageContaining("cannot reach http://127.0.0.1:" + port + "/ (connection refused)");
    }

    List<ILoggingEvent> warnings =
        logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
    assertThat(warnings)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            "cannot reach http://127.0.0.1:"
                + port
                + "/ (connection refused); retrying for up to 600 ms",
            "cannot reach http://127.0.0.1:"
                + port
                + "/ (connection refused); retrying for up to 600 ms");
    assertThat(warnings).allMatch(e -> e.getThrowableProxy() == null);
    assertThat(logged.list).as("the later retries of a window").hasSizeGreaterThan(2);
  }
}
