/**
 * Device shadows materialized by Kafka Streams and served over REST. {@link
 * org.iotbackbone.streamsapp.ShadowTopology} is the topology, {@link
 * org.iotbackbone.streamsapp.StreamsApp} runs it with the REST API; the shadow semantics it
 * implements are the contract's, {@code docs/design.md}.
 */
package org.iotbackbone.streamsapp;
