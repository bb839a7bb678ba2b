package io.jobplane.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Sha256Test {

  @Test
  void hashesTextAsUtf8AndWritesLowerCaseHex() {
    // FIPS 180-2 test vector
    assertThat(Sha256.hex("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(Sha256.of("abc")).isEqualTo(Sha256.of("abc".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void partsAreHashedAsIfConcatenated() {
    assertThat(
            Sha256.of("a".getBytes(StandardCharsets.UTF_8), "bc".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(Sha256.of("abc"));
  }
}
