package org.iotbackbone.streamsapp.internal.jobs;

import java.util.Optional;
import org.iotbackbone.schemas.AbortCriterion;
import org.iotbackbone.schemas.ExponentialRate;
import org.iotbackbone.schemas.JobDefinition;
import org.iotbackbone.schemas.JobProcessDetails;
import org.iotbackbone.streamsapp.JobLimits;

/** The rollout and abort rules of docs/design.md, "Jobs", as pure functions. */
final class Rollout {

  private Rollout() {}

  /** The rate a job starts at, per minute. */
  static int initialRate(JobDefinition job) {
    if (job.getRollout() == null) {
      return JobLimits.MAX_RATE_PER_MINUTE;
    }
    if (job.getRollout().getMaximumPerMinute() != null) {
      return job.getRollout().getMaximumPerMinute();
    }
    return job.getRollout().getExponentialRate().getBaseRatePerMinute();
  }

  /**
   * The credit after {@code elapsedMs} at {@code ratePerMinute}: rate/60 per second, never more
   * than one second's worth (and at least one notification) banked, so that an idle or late tick
   * does not burst.
   */
  static double credit(double credit, int ratePerMinute, long elapsedMs) {
    double perSecond = ratePerMinute / 60.0;
    double cap = Math.max(1.0, perSecond);
    return Math.min(cap, credit + perSecond * Math.max(0, elapsedMs) / 1000.0);
  }

  /**
   * The raised rate when the exponential rate's increase criterion is met since the last raise, or
   * empty. {@code since} is the count (notified or succeeded, whichever the criterion names) at the
   * last raise.
   */
  static Optional<Integer> raised(
      JobDefinition job, int rate, JobProcessDetails counts, long since) {
    ExponentialRate exponential =
        job.getRollout() == null ? null : job.getRollout().getExponentialRate();
    if (exponential == null) {
      return Optional.empty();
    }
    long threshold;
    long count;
    if (exponential.getNumberOfNotifiedThings() != null) {
      threshold = exponential.getNumberOfNotifiedThings();
      count = counts.getNumberOfNotifiedThings();
    } else {
      threshold = exponential.getNumberOfSucceededThings();
      count = counts.getNumberOfSucceededThings();
    }
    if (count - since < threshold) {
      return Optional.empty();
    }
    int next = (int) Math.ceil(rate * exponential.getIncrementFactor());
    return Optional.of(Math.min(JobLimits.MAX_RATE_PER_MINUTE, next));
  }

  /** The count the exponential rate's criterion watches (notified or succeeded). */
  static long increaseCount(JobDefinition job, JobProcessDetails counts) {
    ExponentialRate exponential =
        job.getRollout() == null ? null : job.getRollout().getExponentialRate();
    if (exponential != null && exponential.getNumberOfNotifiedThings() == null) {
      return counts.getNumberOfSucceededThings();
    }
    return counts.getNumberOfNotifiedThings();
  }

  /** The reason code of the first abort criterion met, or empty. */
  static Optional<String> abortReason(JobDefinition job, JobProcessDetails counts) {
    long executed = Counts.executed(counts);
    for (AbortCriterion criterion : job.getAbortCriteria()) {
      if (executed < criterion.getMinNumberOfExecutedThings() || executed == 0) {
        continue;
      }
      double percent = 100.0 * Counts.failures(counts, criterion.getFailureType()) / executed;
      if (percent >= criterion.getThresholdPercentage()) {
        return Optional.of(
            criterion.getFailureType() + ">=" + criterion.getThresholdPercentage() + "%");
      }
    }
    return Optional.empty();
  }
}
