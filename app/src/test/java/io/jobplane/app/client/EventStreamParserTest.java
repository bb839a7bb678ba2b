package io.jobplane.app.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.app.client.EventStream.Event;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventStreamParserTest {

  private static List<Event> parse(String... lines) {
    EventStream.Parser parser = new EventStream.Parser();
    List<Event> events = new ArrayList<>();
    for (String line : lines) {
      Event e = parser.line(line);
      if (e != null) {
        events.add(e);
      }
    }
    return events;
  }

  @Test
  void aBlankLineDispatchesTheNamedEventWithItsIdAndData() {
    assertThat(parse("event: log", "id: 41", "data: {\"message\":\"hi\"}", ""))
        .containsExactly(new Event("log", 41L, "{\"message\":\"hi\"}"));
  }

  @Test
  void dataLinesOfOneEventAreJoinedWithNewlines() {
    assertThat(parse("data: a", "data:b", "")).containsExactly(new Event("message", null, "a\nb"));
  }

  @Test
  void commentsAreKeepAlivesAndDispatchNothing() {
    assertThat(parse(": keep-alive", "", ":", "")).isEmpty();
  }

  @Test
  void theNameResetsAfterEachEventButTheLastIdStays() {
    assertThat(parse("event: end", "id: 7", "data: x", "", "data: y", ""))
        .containsExactly(new Event("end", 7L, "x"), new Event("message", 7L, "y"));
  }

  @Test
  void anIdThatIsNotANumberCannotBeResumedFromAndIsDropped() {
    assertThat(parse("id: abc", "data: x", "")).containsExactly(new Event("message", null, "x"));
  }
}
