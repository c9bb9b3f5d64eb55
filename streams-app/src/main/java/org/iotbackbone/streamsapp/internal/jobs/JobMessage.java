package org.iotbackbone.streamsapp.internal.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.iotbackbone.streamsapp.internal.json.Json;

/**
 * What the coordinator (keyed by job id) asks of the device side (keyed by device id), through the
 * internal repartition topic, as JSON: internal, so no schema in the registry. (The device side
 * answers with {@code JobEvent}s on {@code iot.job.events}.)
 *
 * @param type what is asked
 * @param jobId the job
 * @param deviceId the device (all but RESOLVE)
 * @param document the job document (NOTIFY)
 * @param filter the target filter (RESOLVE)
 * @param partitions how many partitions the RESOLVE went to, so many answer it (stamped by {@link
 *     OrderRouting} as it is sent)
 * @param at when, in epoch milliseconds
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobMessage(
    Type type,
    String jobId,
    String deviceId,
    String document,
    String filter,
    Integer partitions,
    long at) {

  /** The kinds of message. */
  public enum Type {
    /** Create the device's execution, QUEUED, and notify it. */
    NOTIFY,
    /** The job was canceled: cancel a QUEUED execution, tell an IN_PROGRESS one. */
    CANCEL,
    /** The execution was IN_PROGRESS too long: TIMED_OUT, unless it has ended meanwhile. */
    TIMEOUT,
    /** Select this partition's devices matching the filter (broadcast to every partition). */
    RESOLVE
  }

  static JobMessage notify(String jobId, String deviceId, String document, long at) {
    return new JobMessage(Type.NOTIFY, jobId, deviceId, document, null, null, at);
  }

  static JobMessage toDevice(Type type, String jobId, String deviceId, long at) {
    return new JobMessage(type, jobId, deviceId, null, null, null, at);
  }

  static JobMessage resolve(String jobId, String filter, long at) {
    return new JobMessage(Type.RESOLVE, jobId, null, null, filter, null, at);
  }

  JobMessage withPartitions(int count) {
    return new JobMessage(type, jobId, deviceId, document, filter, count, at);
  }

  /** The serde of the internal topic. */
  public static Serde<JobMessage> serde() {
    return Serdes.serdeFrom(
        (topic, message) -> message == null ? null : write(message),
        (topic, bytes) -> bytes == null ? null : read(bytes));
  }

  private static byte[] write(JobMessage message) {
    try {
      return Json.MAPPER.writeValueAsBytes(message);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write an internal job message", e);
    }
  }

  private static JobMessage read(byte[] bytes) {
    try {
      return Json.MAPPER.readValue(bytes, JobMessage.class);
    } catch (IOException e) {
      throw new UncheckedIOException("internal job message is not readable", e);
    }
  }
}
