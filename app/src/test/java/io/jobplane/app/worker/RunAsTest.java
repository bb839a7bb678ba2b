package io.jobplane.app.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunAsTest {

  @Test
  void anUnknownUserIsAClearErrorAtStart() {
    assertThatThrownBy(() -> RunAs.resolve("no_such_user_4f1c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--run-as")
        .hasMessageContaining("no_such_user_4f1c");
  }

  @Test
  void somethingThatIsNoUserNameIsRefusedBeforeAnyLookup() {
    assertThatThrownBy(() -> RunAs.resolve("nobody; rm -rf /"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a user name");
  }

  @Test
  void theCommandIsStartedThroughSetprivWithTheUsersIdsAndGroups() {
    RunAs user = new RunAs("builder", 1001, 1002, "/home/builder");

    assertThat(user.wrap(List.of("sh", "-c", "echo hi")))
        .containsExactly(
            "setpriv",
            "--reuid=1001",
            "--regid=1002",
            "--init-groups",
            "--",
            "sh",
            "-c",
            "echo hi");
  }
}
