/**
 * A Kafka Connect sink that keeps device shadows and the events archive in ScyllaDB. Built in the
 * connectors issue.
 */
package org.iotbackbone.connectors;
