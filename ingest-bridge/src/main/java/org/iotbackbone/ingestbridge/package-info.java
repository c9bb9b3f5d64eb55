/**
 * The MQTT edge tier's bridge: device traffic from the edge broker into Kafka, commands and shadow
 * responses from Kafka back to devices. {@link org.iotbackbone.ingestbridge.IngestBridge} runs it;
 * {@link org.iotbackbone.ingestbridge.BridgeConfig} declares its settings. The topics it serves are
 * those of the contract, {@code docs/design.md}.
 */
package org.iotbackbone.ingestbridge;
