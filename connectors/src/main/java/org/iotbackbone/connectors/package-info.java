/**
 * A Kafka Connect sink that keeps device shadows and the events archive in ScyllaDB: {@link
 * org.iotbackbone.connectors.ScyllaSinkConnector}, configured by {@link
 * org.iotbackbone.connectors.ScyllaSinkConfig}.
 */
package org.iotbackbone.connectors;
