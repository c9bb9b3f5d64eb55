package org.iotbackbone.connectors.internal;

import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.List;

/**
 * One asynchronous write (a statement or a one-partition batch) and the records it stands for.
 *
 * @param statement what is sent
 * @param sources the records written by it (reported to the dead-letter topic if it can never be)
 * @param rows how many rows it writes, for the benchmark's count
 */
public record PlannedWrite(Statement<?> statement, List<Object> sources, int rows) {

  public PlannedWrite {
    sources = List.copyOf(sources);
  }
}
