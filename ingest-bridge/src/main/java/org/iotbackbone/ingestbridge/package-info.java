/**
 * The MQTT edge tier's bridge: device traffic from the edge broker into Kafka, commands and shadow
 * responses from Kafka back to devices. Built in the ingest-bridge issue; see {@code
 * ../shared/DESIGN.md} for the topics it serves.
 */
package org.iotbackbone.ingestbridge;
