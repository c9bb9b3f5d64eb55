package org.iotbackbone.pki.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code issued.tsv}: appends that write only the end, and a torn last line that is no row. */
class LedgerTest {

  private static final Instant NOT_AFTER = Instant.parse("2027-12-07T00:00:00Z");

  @TempDir Path dir;

  @Test
  void appendsKeepEveryRowInOrderAndRewriteNothingBefore() throws Exception {
    Path file = dir.resolve("issued.tsv");
    Ledger.write(file, List.of(row(1)));
    byte[] before = Files.readAllBytes(file);

    Ledger.append(file, List.of(row(2), row(3)));
    Ledger.append(file, List.of(row(4)));

    assertThat(Ledger.read(file)).containsExactly(row(1), row(2), row(3), row(4));
    byte[] after = Files.readAllBytes(file);
    assertThat(java.util.Arrays.copyOf(after, before.length)).isEqualTo(before);
    assertThat(Files.readString(file)).startsWith(Ledger.HEADER + "\n").endsWith("\n");
  }

  @Test
  void aLastLineWithoutItsNewlineIsNoRowAndTheNextAppendCutsIt() throws Exception {
    // What a crash in the middle of an append leaves: part of a row, no newline.
    Path file = dir.resolve("issued.tsv");
    Ledger.write(file, List.of(row(1)));
    String torn = row(2).line().substring(0, 20);
    Files.writeString(file, torn, StandardOpenOption.APPEND);

    assertThat(Ledger.read(file)).containsExactly(row(1));

    Ledger.append(file, List.of(row(3)));
    assertThat(Ledger.read(file)).containsExactly(row(1), row(3));
    assertThat(Files.readString(file)).doesNotContain(torn);
  }

  @Test
  void aTornTailLongerThanOneReadBlockIsFoundToo() throws Exception {
    Path file = dir.resolve("issued.tsv");
    Ledger.write(file, List.of(row(1)));
    Files.writeString(file, "x".repeat(10_000), StandardOpenOption.APPEND);

    Ledger.append(file, List.of(row(2)));

    assertThat(Ledger.read(file)).containsExactly(row(1), row(2));
  }

  @Test
  void anEmptyFileGetsItsHeaderWithTheFirstRows() throws Exception {
    Path file = Files.createFile(dir.resolve("issued.tsv"));

    Ledger.append(file, List.of(row(1)));

    assertThat(Files.readString(file)).isEqualTo(Ledger.HEADER + "\n" + row(1).line() + "\n");
  }

  @Test
  void aCompleteLineThatIsNoRowIsCorruptAndNamed() throws Exception {
    Path file = dir.resolve("issued.tsv");
    Ledger.write(file, List.of(row(1)));
    Files.writeString(file, "ZZ\tdevice\n", StandardOpenOption.APPEND);

    assertThatThrownBy(() -> Ledger.read(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("line 3 is corrupt");
  }

  @Test
  void manyChunksAppendInOrder() throws Exception {
    Path file = dir.resolve("issued.tsv");
    Ledger.write(file, List.of());
    List<Ledger.Row> all = new ArrayList<>();
    for (int chunk = 0; chunk < 20; chunk++) {
      List<Ledger.Row> rows = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        rows.add(row(chunk * 500L + i + 1));
      }
      Ledger.append(file, rows);
      all.addAll(rows);
    }
    assertThat(Ledger.read(file)).isEqualTo(all);
    assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).hasSize(10_001);
  }

  private static Ledger.Row row(long serial) {
    return new Ledger.Row(BigInteger.valueOf(serial), "device", "d-" + serial, NOT_AFTER, null);
  }
}
