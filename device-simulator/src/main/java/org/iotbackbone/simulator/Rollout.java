package org.iotbackbone.simulator;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.iotbackbone.schemas.config.Validators;

/**
 * The fleet job of a {@code firmware-rollout} run (docs/design.md, "Jobs"): how the simulator
 * creates it ({@code POST /jobs}: targets, rollout rate, abort criterion, in-progress timeout) and
 * how its devices answer it (how long they work, how many fail, how many never answer). Its keys,
 * {@code job.*}, are part of the {@link Scenario}'s one declaration ({@link #define}).
 *
 * @param enabled whether the run creates a job once its devices are connected, and ends when the
 *     job has ended
 * @param targetFilter empty to list the run's devices as the targets, else a filter over the
 *     devices' reported state, to which the run adds its own devices' mark ({@link #RUN_FIELD})
 * @param ratePerMinute the constant rate, or the exponential rollout's base rate
 * @param incrementFactor 0 for a constant rate, else the factor of the exponential rollout
 * @param incrementEveryNotified how many more notified devices raise an exponential rate
 * @param abortFailureType the abort criterion's failure type, or {@code NONE} for no criterion
 * @param abortThresholdPercent the criterion's threshold
 * @param abortMinExecuted the executions that must have ended before the criterion is checked
 * @param timeoutMinutes the in-progress timeout, or 0 for none
 * @param workMillis how long a device works on the job, on average (each takes half to 1.5 times)
 * @param failurePercent the chance that a device that works on the job fails it
 * @param silentPercent the chance that a device takes the job (IN_PROGRESS) and never answers again
 * @param firmware the version the job's document installs; a device that succeeds reports it
 */
public record Rollout(
    boolean enabled,
    String targetFilter,
    int ratePerMinute,
    double incrementFactor,
    int incrementEveryNotified,
    String abortFailureType,
    double abortThresholdPercent,
    int abortMinExecuted,
    int timeoutMinutes,
    int workMillis,
    double failurePercent,
    double silentPercent,
    String firmware) {

  public static final String ENABLED_CONFIG = "job.enabled";
  public static final String TARGET_FILTER_CONFIG = "job.target.filter";
  public static final String RATE_PER_MINUTE_CONFIG = "job.rate.per.minute";
  public static final String INCREMENT_FACTOR_CONFIG = "job.rate.increment.factor";
  public static final String INCREMENT_EVERY_NOTIFIED_CONFIG = "job.rate.increment.every.notified";
  public static final String ABORT_FAILURE_TYPE_CONFIG = "job.abort.failure.type";
  public static final String ABORT_THRESHOLD_PERCENT_CONFIG = "job.abort.threshold.percent";
  public static final String ABORT_MIN_EXECUTED_CONFIG = "job.abort.min.executed";
  public static final String TIMEOUT_MINUTES_CONFIG = "job.timeout.minutes";
  public static final String WORK_MILLIS_CONFIG = "job.work.millis";
  public static final String FAILURE_PERCENT_CONFIG = "job.failure.percent";
  public static final String SILENT_PERCENT_CONFIG = "job.silent.percent";
  public static final String FIRMWARE_CONFIG = "job.firmware";

  /**
   * The reported-state field in which every device of a rollout run reports the run's id, so that a
   * filter selects this run's devices only, not those of earlier runs still in the shadows.
   */
  public static final String RUN_FIELD = "simRun";

  /** The model and firmware every device of a rollout run reports before the job. */
  public static final String MODEL = "sim-speaker";

  public static final String STARTING_FIRMWARE = "2.3.0";

  /** The most device ids a job may list (docs/design.md, "Limits of a job"). */
  public static final int MAX_LISTED_TARGETS = 10_000;

  /** A rollout's increment factor: 0 (constant) or 1.1 to 5 (exponential). */
  private static final ConfigDef.Validator FACTOR =
      new ConfigDef.Validator() {
        @Override
        public void ensureValid(String name, Object value) {
          checkFactor((Double) value);
        }

        @Override
        public String toString() {
          return "0, or [1.1,...,5]";
        }
      };

  private static final ConfigDef DEFINITION = define(new ConfigDef());

  /**
   * Settings of these values.
   *
   * @throws ConfigException naming the key of a value out of its range
   */
  public Rollout {
    Objects.requireNonNull(targetFilter, "targetFilter");
    Objects.requireNonNull(abortFailureType, "abortFailureType");
    Objects.requireNonNull(firmware, "firmware");
    // The same ranges as a file's values, from the one declaration of the keys.
    DEFINITION.parse(
        keys(
            enabled,
            targetFilter,
            ratePerMinute,
            incrementFactor,
            incrementEveryNotified,
            abortFailureType,
            abortThresholdPercent,
            abortMinExecuted,
            timeoutMinutes,
            workMillis,
            failurePercent,
            silentPercent,
            firmware));
  }

  /** Adds the {@code job.*} keys to a scenario's definition. */
  static ConfigDef define(ConfigDef def) {
    return def.define(
            ENABLED_CONFIG,
            Type.BOOLEAN,
            false,
            Importance.HIGH,
            "Whether the run creates a fleet job (POST /jobs) once its devices are connected; the"
                + " devices take it, and the load ends when the job has ended (or at"
                + " duration.seconds).")
        .define(
            TARGET_FILTER_CONFIG,
            Type.STRING,
            "",
            Validators.matching("[^\\n]{0,1900}"),
            Importance.MEDIUM,
            "Empty: the job lists the run's device ids (at most 10,000). Else a filter over the"
                + " reported state (docs/design.md, Filters), such as 'model = sim-speaker and"
                + " firmware < 2.4.0', to which the run adds its own devices (simRun = RUN): every"
                + " device reports model sim-speaker, firmware 2.3.0 and simRun at connect.")
        .define(
            RATE_PER_MINUTE_CONFIG,
            Type.INT,
            1000,
            Range.between(1, 1000),
            Importance.HIGH,
            "The rollout's rate, devices notified per minute (maximumPerMinute), or the base rate"
                + " of an exponential rollout.")
        .define(
            INCREMENT_FACTOR_CONFIG,
            Type.DOUBLE,
            0.0,
            FACTOR,
            Importance.MEDIUM,
            "0 for a constant rate; from 1.1 to 5 for an exponential rollout whose rate is"
                + " multiplied by it every job.rate.increment.every.notified notified devices.")
        .define(
            INCREMENT_EVERY_NOTIFIED_CONFIG,
            Type.INT,
            100,
            Range.between(1, 1_000_000),
            Importance.LOW,
            "How many more notified devices raise an exponential rollout's rate"
                + " (numberOfNotifiedThings).")
        .define(
            ABORT_FAILURE_TYPE_CONFIG,
            Type.STRING,
            "FAILED",
            ConfigDef.ValidString.in("NONE", "FAILED", "REJECTED", "TIMED_OUT", "ALL"),
            Importance.MEDIUM,
            "The abort criterion's failureType, or NONE for a job without abort criteria.")
        .define(
            ABORT_THRESHOLD_PERCENT_CONFIG,
            Type.DOUBLE,
            10.0,
            Range.between(0, 100),
            Importance.MEDIUM,
            "The abort criterion's thresholdPercentage of the executed devices.")
        .define(
            ABORT_MIN_EXECUTED_CONFIG,
            Type.INT,
            100,
            Range.between(1, 1_000_000),
            Importance.MEDIUM,
            "The abort criterion's minNumberOfExecutedThings.")
        .define(
            TIMEOUT_MINUTES_CONFIG,
            Type.INT,
            1,
            Range.between(0, 10_080),
            Importance.MEDIUM,
            "The job's inProgressTimeoutInMinutes, or 0 for none.")
        .define(
            WORK_MILLIS_CONFIG,
            Type.INT,
            5000,
            Range.between(0, 3_600_000),
            Importance.MEDIUM,
            "How long a device works on the job after it reported IN_PROGRESS, on average: each"
                + " takes from half to 1.5 times this.")
        .define(
            FAILURE_PERCENT_CONFIG,
            Type.DOUBLE,
            0.0,
            Range.between(0, 100),
            Importance.MEDIUM,
            "The chance, in percent, that a device working on the job reports FAILED instead of"
                + " SUCCEEDED.")
        .define(
            SILENT_PERCENT_CONFIG,
            Type.DOUBLE,
            0.0,
            Range.between(0, 100),
            Importance.MEDIUM,
            "The chance, in percent, that a device takes the job (IN_PROGRESS) and never answers"
                + " again: the in-progress timeout's case.")
        .define(
            FIRMWARE_CONFIG,
            Type.STRING,
            "2.4.0",
            Validators.matching("[0-9]{1,5}(\\.[0-9]{1,5}){0,3}"),
            Importance.LOW,
            "The firmware version the job's document installs; a device that succeeds reports it.");
  }

  private static void checkFactor(double factor) {
    if (factor != 0 && (factor < 1.1 || factor > 5)) {
      throw new ConfigException(
          INCREMENT_FACTOR_CONFIG, factor, "must be 0 (a constant rate) or from 1.1 to 5");
    }
  }

  /** The settings of the {@code job.*} keys among a scenario's values. */
  static Rollout of(AbstractConfig values) {
    return new Rollout(
        values.getBoolean(ENABLED_CONFIG),
        values.getString(TARGET_FILTER_CONFIG).strip(),
        values.getInt(RATE_PER_MINUTE_CONFIG),
        values.getDouble(INCREMENT_FACTOR_CONFIG),
        values.getInt(INCREMENT_EVERY_NOTIFIED_CONFIG),
        values.getString(ABORT_FAILURE_TYPE_CONFIG),
        values.getDouble(ABORT_THRESHOLD_PERCENT_CONFIG),
        values.getInt(ABORT_MIN_EXECUTED_CONFIG),
        values.getInt(TIMEOUT_MINUTES_CONFIG),
        values.getInt(WORK_MILLIS_CONFIG),
        values.getDouble(FAILURE_PERCENT_CONFIG),
        values.getDouble(SILENT_PERCENT_CONFIG),
        values.getString(FIRMWARE_CONFIG));
  }

  /** The settings as the keys of a scenario file. */
  Map<String, String> describe() {
    return keys(
        enabled,
        targetFilter,
        ratePerMinute,
        incrementFactor,
        incrementEveryNotified,
        abortFailureType,
        abortThresholdPercent,
        abortMinExecuted,
        timeoutMinutes,
        workMillis,
        failurePercent,
        silentPercent,
        firmware);
  }

  private static Map<String, String> keys(
      boolean enabled,
      String targetFilter,
      int ratePerMinute,
      double incrementFactor,
      int incrementEveryNotified,
      String abortFailureType,
      double abortThresholdPercent,
      int abortMinExecuted,
      int timeoutMinutes,
      int workMillis,
      double failurePercent,
      double silentPercent,
      String firmware) {
    Map<String, String> keys = new java.util.LinkedHashMap<>();
    keys.put(ENABLED_CONFIG, Boolean.toString(enabled));
    keys.put(TARGET_FILTER_CONFIG, targetFilter);
    keys.put(RATE_PER_MINUTE_CONFIG, Integer.toString(ratePerMinute));
    keys.put(INCREMENT_FACTOR_CONFIG, number(incrementFactor));
    keys.put(INCREMENT_EVERY_NOTIFIED_CONFIG, Integer.toString(incrementEveryNotified));
    keys.put(ABORT_FAILURE_TYPE_CONFIG, abortFailureType);
    keys.put(ABORT_THRESHOLD_PERCENT_CONFIG, number(abortThresholdPercent));
    keys.put(ABORT_MIN_EXECUTED_CONFIG, Integer.toString(abortMinExecuted));
    keys.put(TIMEOUT_MINUTES_CONFIG, Integer.toString(timeoutMinutes));
    keys.put(WORK_MILLIS_CONFIG, Integer.toString(workMillis));
    keys.put(FAILURE_PERCENT_CONFIG, number(failurePercent));
    keys.put(SILENT_PERCENT_CONFIG, number(silentPercent));
    keys.put(FIRMWARE_CONFIG, firmware);
    return keys;
  }

  private static String number(double value) {
    return String.format(Locale.ROOT, "%s", value);
  }

  /** No job: the settings of every scenario that does not set {@value #ENABLED_CONFIG}. */
  static Rollout none() {
    return of(new AbstractConfig(DEFINITION, Map.of(), false));
  }

  /** Whether the job lists its targets (no filter). */
  public boolean listsTargets() {
    return targetFilter.isEmpty();
  }
}
