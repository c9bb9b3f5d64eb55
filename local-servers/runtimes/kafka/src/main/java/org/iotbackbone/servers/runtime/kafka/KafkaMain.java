package org.iotbackbone.servers.runtime.kafka;

import kafka.Kafka;
import kafka.tools.StorageTool;

/**
 * Formats a KRaft storage directory (once: a formatted one is left as it is) and runs a combined
 * broker and controller, in one JVM.
 *
 * <p>Arguments: the {@code server.properties} file and the cluster id, then any further arguments
 * of {@code kafka-storage format} (such as {@code --add-scram} for a secured broker's first user).
 * Doing both here saves a JVM start per broker start, compared to running {@code kafka-storage
 * format} first.
 */
public final class KafkaMain {

  private KafkaMain() {}

  public static void main(String[] args) {
    String config = args[0];
    String clusterId = args[1];
    java.util.List<String> format =
        new java.util.ArrayList<>(
            java.util.List.of("format", "-t", clusterId, "-c", config, "--ignore-formatted"));
    format.addAll(java.util.Arrays.asList(args).subList(2, args.length));
    int formatted = StorageTool.execute(format.toArray(String[]::new), System.out);
    if (formatted != 0) {
      System.err.println("KafkaMain: formatting the storage failed with code " + formatted);
      System.exit(formatted);
    }
    Kafka.main(new String[] {config});
  }
}
