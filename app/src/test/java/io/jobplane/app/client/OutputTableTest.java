package io.jobplane.app.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputTableTest {

  @Test
  void columnsArePaddedToTheirWidestCellAndEmptyCellsShowADash() {
    StringWriter text = new StringWriter();
    Output.table(
        new PrintWriter(text),
        List.of("ID", "STATUS", "AGE"),
        List.of(List.of("a", "SUCCEEDED", "3s"), List.of("bbbb", "", "12m")));

    assertThat(text.toString().lines())
        .containsExactly(
            "ID     STATUS      AGE", "a      SUCCEEDED   3s", "bbbb   -           12m");
  }

  @Test
  void rowsPrintedLaterLineUpUnderTheHeaders() {
    StringWriter text = new StringWriter();
    PrintWriter out = new PrintWriter(text);
    Output.Table table =
        Output.table(out, List.of("ID", "STATUS", "AGE"), List.of(), List.of(8, 16));
    table.print(out, List.of(List.of("12345678", "RUNNING", "1s")));

    List<String> lines = text.toString().lines().toList();
    assertThat(lines.get(1).indexOf("RUNNING")).isEqualTo(lines.get(0).indexOf("STATUS"));
    assertThat(lines.get(1).indexOf("1s")).isEqualTo(lines.get(0).indexOf("AGE"));
  }
}
