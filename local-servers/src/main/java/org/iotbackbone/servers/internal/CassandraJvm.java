package org.iotbackbone.servers.internal;

import java.util.ArrayList;
import java.util.List;

/** The JVM options of a Cassandra 5.0 server for tests. */
public final class CassandraJvm {

  /** Cassandra's own main class; {@code bin/cassandra} starts the same one. */
  public static final String MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon";

  /**
   * The JPMS section of Cassandra 5.0's {@code conf/jvm17-server.options}: Cassandra reaches into
   * JDK internals (direct buffers, file descriptors, class loading, JMX, attach) and fails without
   * these on Java 17.
   */
  static final List<String> JPMS =
      List.of(
          "-Djdk.attach.allowAttachSelf=true",
          "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
          "--add-exports=java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.server=ALL-UNNAMED",
          "--add-exports=java.sql/java.sql=ALL-UNNAMED",
          "--add-exports=java.base/java.lang.ref=ALL-UNNAMED",
          "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
          "--add-exports=jdk.attach/sun.tools.attach=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.module=ALL-UNNAMED",
          "--add-opens=java.base/jdk.internal.loader=ALL-UNNAMED",
          "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-opens=java.base/jdk.internal.reflect=ALL-UNNAMED",
          "--add-opens=java.base/jdk.internal.math=ALL-UNNAMED",
          "--add-opens=java.base/jdk.internal.module=ALL-UNNAMED",
          "--add-opens=java.base/jdk.internal.util.jar=ALL-UNNAMED",
          "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED");

  private CassandraJvm() {}

  /** Heap, GC, JPMS and the system properties that make Cassandra a quick one-node server. */
  public static List<String> options(CassandraConfig config) {
    List<String> options = new ArrayList<>();
    // Cassandra mlockall()s at start (it cannot be told not to), which faults in the committed
    // heap: a small initial heap keeps the resident size modest.
    options.add("-Xms128m");
    options.add("-Xmx768m");
    // ServerOptions.quickStart (C1 only, the serial collector) matters most here: it halves the CPU
    // time to ready (about 80 s to 45 s under load), and the serial collector needs about 130 MB
    // less than G1 on a heap this small.
    // From Cassandra's jvm-server.options: small thread stacks, no hsperfdata file.
    options.add("-Xss256k");
    options.add("-XX:+PerfDisableSharedMem");
    // A JVM that ran out of memory must not serve on with half-done state.
    options.add("-XX:+ExitOnOutOfMemoryError");
    options.addAll(JPMS);
    // Cassandra installs a SecurityManager (for user-defined functions); Java 18 to 23 refuse it
    // without this, and Java 24 has none at all, so Cassandra 5.0 runs on Java 17 to 23.
    options.add("-Djava.security.manager=allow");
    options.add("-Dio.netty.tryReflectionSetAccessible=true");
    options.add("-Djava.net.preferIPv4Stack=true");

    // Without it CassandraDaemon closes stdout and stderr once started.
    options.add("-Dcassandra-foreground=yes");
    options.add("-Dcassandra.config=" + config.yamlFile().toUri());
    options.add("-Dcassandra.storagedir=" + config.home());
    options.add("-Dcassandra.logdir=" + config.logDir());
    options.add("-Dcassandra.triggers_dir=" + config.triggersDir());
    options.add("-Dlogback.configurationFile=" + config.logbackFile());
    // One node: nothing to wait for in gossip or the ring, no default superuser to create, no
    // peer to tell of a shutdown.
    options.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
    options.add("-Dcassandra.ring_delay_ms=0");
    options.add("-Dcassandra.shutdown_announce_in_ms=0");
    options.add("-Dcassandra.superuser_setup_delay_ms=0");
    // No fsync: a test server's data must outlive its process, not the machine. Every schema
    // change flushes a dozen system tables, and fsync on a busy build machine takes seconds.
    options.add("-Dcassandra.skip_sync=true");
    // The approximate clock ticks every 2 ms by default: 500 wake-ups a second on an idle server.
    options.add("-Dcassandra.approximate_time_precision_ms=10");
    // No JMX: neither cassandra.jmx.local.port nor cassandra.jmx.remote.port is set, so
    // Cassandra opens no JMX port (and binds nothing but the storage and native ports).
    return options;
  }
}
