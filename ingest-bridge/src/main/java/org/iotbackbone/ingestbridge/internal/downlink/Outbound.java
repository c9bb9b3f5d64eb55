package org.iotbackbone.ingestbridge.internal.downlink;

/**
 * A message for a device, ready to publish at QoS 1.
 *
 * @param deviceId the device it is for
 * @param topic its MQTT topic
 * @param payload its payload
 * @param expirySeconds the MQTT 5 message expiry interval, or 0 for none
 * @param correlationData MQTT 5 correlation data (the command id), or null
 * @param responseTopic MQTT 5 response topic (the ack topic), or null
 */
public record Outbound(
    String deviceId,
    String topic,
    byte[] payload,
    long expirySeconds,
    byte[] correlationData,
    String responseTopic) {}
