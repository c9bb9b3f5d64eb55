/**
 * Device shadows materialized by Kafka Streams and served over REST. Built in the streams-app
 * issue; see {@code ../shared/DESIGN.md} for the shadow semantics it implements.
 */
package org.iotbackbone.streamsapp;
