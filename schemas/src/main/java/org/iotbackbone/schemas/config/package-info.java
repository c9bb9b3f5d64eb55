/**
 * The one configuration dialect of every service: settings declared in Kafka's {@link
 * org.apache.kafka.common.config.ConfigDef} with docs and validators, gathered by {@link
 * org.iotbackbone.schemas.config.ConfigLoader} (defaults, then a properties file, then the
 * environment by the {@link org.iotbackbone.schemas.config.EnvironmentRule}, then explicit
 * overrides), {@code kafka.*} handed to every Kafka client ({@link
 * org.iotbackbone.schemas.config.KafkaClientSettings}), and README tables made from the definitions
 * ({@link org.iotbackbone.schemas.config.ConfigTable}).
 */
package org.iotbackbone.schemas.config;
