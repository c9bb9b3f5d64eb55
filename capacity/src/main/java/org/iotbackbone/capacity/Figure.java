package org.iotbackbone.capacity;

/**
 * One measured per-unit figure and where it came from.
 *
 * @param measure what it measures
 * @param value the value, in {@link Measure#unit()}
 * @param section the heading of {@code docs/benchmarks.md} the run is under
 * @param date the run's date (UTC), as its row gives it
 * @param commit the run's commit, as its row gives it
 * @param quote text of that section, quoted exactly, that the value comes from
 * @param derivation how the value follows from the quote
 */
public record Figure(
    Measure measure,
    double value,
    String section,
    String date,
    String commit,
    String quote,
    String derivation) {}
