package org.iotbackbone.ingestbridge.internal.topic;

import org.iotbackbone.schemas.JobExecutionOperation;
import org.iotbackbone.schemas.ShadowOperation;

/** An uplink MQTT topic of the design, taken apart. */
public sealed interface DeviceTopic {

  /** The device the topic belongs to. */
  String deviceId();

  /** {@code devices/{id}/events/{type}}. */
  record Event(String deviceId, String eventType) implements DeviceTopic {}

  /**
   * {@code devices/{id}/shadow[/name/{name}]/{update,get,delete}}; {@code shadowName} is null for
   * the classic shadow.
   */
  record ShadowRequest(String deviceId, String shadowName, ShadowOperation operation)
      implements DeviceTopic {

    /** Where the answer to this request goes: {@code .../{op}/accepted} or {@code /rejected}. */
    public String responseTopic(boolean accepted) {
      return DeviceTopics.shadowPrefix(deviceId, shadowName)
          + "/"
          + DeviceTopics.operationSegment(operation)
          + (accepted ? "/accepted" : "/rejected");
    }
  }

  /**
   * {@code devices/{id}/jobs/start-next} or {@code devices/{id}/jobs/{jobId}/{get,update}}; {@code
   * jobId} is null for START_NEXT.
   */
  record JobRequest(String deviceId, JobExecutionOperation operation, String jobId)
      implements DeviceTopic {

    /** Where the answer to this request goes: {@code .../{op}/accepted} or {@code /rejected}. */
    public String responseTopic(boolean accepted) {
      return DeviceTopics.jobResponseTopic(deviceId, operation, jobId, accepted);
    }
  }

  /** {@code devices/{id}/commands/{commandId}/ack}. */
  record CommandAck(String deviceId, String commandId) implements DeviceTopic {}

  /** {@code devices/{id}/presence}. */
  record Presence(String deviceId) implements DeviceTopic {}
}
