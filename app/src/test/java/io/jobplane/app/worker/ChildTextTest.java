package io.jobplane.app.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChildTextTest {

  @Test
  void colourSequencesAreDroppedAndOtherControlCharactersReplacedSoTheServerStoresTheLine() {
    assertThat(ChildText.truncate("\u001B[31mred\u001B[0m done", 100)).isEqualTo("red done");
    assertThat(ChildText.truncate("a\u0000b\u0007c", 100)).isEqualTo("a\uFFFDb\uFFFDc");
  }

  @Test
  void tabsAndLineBreaksStayAndLongLinesAreCut() {
    assertThat(ChildText.truncate("a\tb\r\n", 100)).isEqualTo("a\tb\r\n");
    assertThat(ChildText.truncate("abcdef", 3)).isEqualTo("abc…");
  }
}
