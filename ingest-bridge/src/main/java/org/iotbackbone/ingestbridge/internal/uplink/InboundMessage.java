package org.iotbackbone.ingestbridge.internal.uplink;

import java.util.Map;

/**
 * An MQTT message as the bridge received it, free of the MQTT client's types.
 *
 * @param topic the MQTT topic
 * @param payload the payload, byte for byte
 * @param qos the QoS it was received with
 * @param contentType the MQTT 5 content type, or null
 * @param userProperties the MQTT 5 user properties (the last value where a name repeats)
 * @param broker the id of the broker it came from
 * @param receivedAt when the bridge received it, epoch milliseconds
 */
public record InboundMessage(
    String topic,
    byte[] payload,
    int qos,
    String contentType,
    Map<String, String> userProperties,
    String broker,
    long receivedAt) {}
