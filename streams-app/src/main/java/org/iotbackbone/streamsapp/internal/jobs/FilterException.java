package org.iotbackbone.streamsapp.internal.jobs;

/**
 * A target filter that does not parse: where (1-based character position) and what was expected.
 */
public final class FilterException extends IllegalArgumentException {

  private final int position;

  FilterException(int position, String expected, String found) {
    super("filter: at position " + position + ": expected " + expected + ", found " + found);
    this.position = position;
  }

  /** The 1-based position of the first character that does not fit. */
  public int position() {
    return position;
  }
}
