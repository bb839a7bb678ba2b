package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binaries the embedded server runs are unpacked where no other local user can write. */
class EmbeddedPostgresBinariesTest {

  @TempDir Path scratch;

  @Test
  void theBinariesLiveInADirectoryOnlyThisUserMayEnter() throws Exception {
    Path root = EmbeddedPostgresBinaries.workingDirectory().getParent();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root)))
        .isEqualTo("rwx------");
    assertThat(root.toString()).doesNotEndWith("/tmp");
  }

  @Test
  void aWorldWritableCandidateOfThisUserIsTightenedAndAnUnusableOneIsSkipped() throws Exception {
    Path file = Files.writeString(scratch.resolve("a-file"), "not a directory");
    Path open = Files.createDirectory(scratch.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));

    Path chosen = EmbeddedPostgresBinaries.ownerOnlyDirectory(List.of(file.resolve("x"), open));

    assertThat(chosen).isEqualTo(open);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(open)))
        .isEqualTo("rwx------");
  }

  @Test
  void aSymbolicLinkIsNeverTrustedAndNoCandidateLeftIsAClearError() throws Exception {
    Path target = Files.createDirectory(scratch.resolve("elsewhere"));
    Path link = Files.createSymbolicLink(scratch.resolve("link"), target);

    assertThatThrownBy(() -> EmbeddedPostgresBinaries.ownerOnlyDirectory(List.of(link)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not a plain directory")
        .hasMessageContaining("ot.epg.working-dir");
  }
}
