package io.jobplane.adapters.rest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StrictQueryParametersTest {

  @Test
  void refusesExactlyWhatTheControlCharacterClassMatches() {
    Pattern control = Pattern.compile("\\p{Cntrl}");
    for (char c = 0; c < Character.MIN_SURROGATE; c++) {
      String value = "a" + c + "b";
      assertThat(StrictQueryParameters.isStorable(value))
          .as("U+%04X", (int) c)
          .isEqualTo(!control.matcher(value).find());
    }
  }

  @Test
  void refusesUnpairedSurrogatesAndKeepsPairs() {
    assertThat(StrictQueryParameters.isStorable("gpu-\uD83D\uDE80")).isTrue();
    assertThat(StrictQueryParameters.isStorable("gpu-\uD83D")).isFalse();
    assertThat(StrictQueryParameters.isStorable("\uDE80")).isFalse();
    assertThat(StrictQueryParameters.isStorable("")).isTrue();
  }
}
