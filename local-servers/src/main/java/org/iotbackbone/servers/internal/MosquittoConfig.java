package org.iotbackbone.servers.internal;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.iotbackbone.servers.BrokerTls;
import org.iotbackbone.servers.MqttBrokerOptions;
import org.iotbackbone.servers.MqttListener;

/** Renders Mosquitto's configuration, ACL and password files. */
public final class MosquittoConfig {

  /** Mosquitto's own default for {@code $7$} hashes (mosquitto_passwd). */
  private static final int PBKDF2_ITERATIONS = 101;

  private static final int SALT_BYTES = 12;

  /**
   * Seconds between two saves of Mosquitto's in-memory state (sessions, queued messages, retained
   * messages, subscriptions). Mosquitto's default is 1800: a {@code kill -9} lost up to half an
   * hour of messages it had acknowledged. Time-based, not {@code autosave_on_changes}: counting
   * changes saves all the time under load and never saves the last few changes of a quiet broker.
   */
  public static final int AUTOSAVE_INTERVAL_SECONDS = 1;

  /**
   * The longest an acknowledged change stays only in memory with {@link
   * #AUTOSAVE_INTERVAL_SECONDS}: Mosquitto saves once its whole-second clock is past the last save
   * plus the interval ({@code last + interval < now}), checked at least every 100 ms, so a change
   * right after a save waits up to interval + 1 s, plus the time the save itself takes.
   */
  public static final Duration UNSAVED_WINDOW = Duration.ofSeconds(AUTOSAVE_INTERVAL_SECONDS + 1);

  private MosquittoConfig() {}

  /** Where the files that the main configuration names are. */
  public record Files(Path persistenceDir, Path aclFile, Path passwordFile, Path backendAclFile) {}

  /**
   * The main configuration file: the plain listener of {@link MqttBrokerOptions#listeners()} or the
   * four secure ones, on {@code host}.
   *
   * @param ports the port of each listener the options open
   * @param files the persistence directory and the ACL and password files the listeners read (an
   *     ACL file is read only with the ACL on)
   * @param runAsUser the user Mosquitto runs as when started by root
   */
  public static String conf(
      Map<MqttListener, Integer> ports,
      String host,
      MqttBrokerOptions options,
      Files files,
      String runAsUser) {
    StringBuilder conf = new StringBuilder();
    conf.append("# Written by MosquittoBroker for one test run; rewritten on every start.\n");
    // Per listener: the device listeners and the back-end listener authenticate differently.
    conf.append("per_listener_settings true\n");
    // Low latency for request/response tests: no Nagle delay on small QoS 1 packets.
    conf.append("set_tcp_nodelay true\n");
    // Sessions, queued and retained messages are saved on a graceful stop and every
    // AUTOSAVE_INTERVAL_SECONDS (a new file, then a rename: a crash never leaves a torn one), and
    // read back on start. A kill -9 loses what changed within UNSAVED_WINDOW before it.
    conf.append("persistence true\n");
    conf.append("persistence_location ").append(files.persistenceDir()).append("/\n");
    conf.append("autosave_interval ").append(AUTOSAVE_INTERVAL_SECONDS).append('\n');
    conf.append("autosave_on_changes false\n");
    // Past max_queued_messages a session's new QoS 1/2 messages are dropped, though the publisher
    // had its PUBACK: the limit must hold the longest bridge outage (MqttBrokerOptions).
    conf.append("max_queued_messages ").append(options.maxQueuedMessages()).append('\n');
    conf.append("max_inflight_messages ").append(options.maxInflightMessages()).append('\n');
    // Mosquitto started by root switches to user "mosquitto", which cannot read a temp dir.
    conf.append("user ").append(runAsUser).append('\n');
    // stdout is block-buffered when it is not a terminal, so a ready line written there would
    // show up late or never; stderr is unbuffered and ServerProcess captures it too.
    conf.append("log_dest stderr\n");
    conf.append("log_type error\nlog_type warning\nlog_type notice\nlog_type information\n");
    conf.append("connection_messages true\n");
    conf.append("log_timestamp_format %Y-%m-%dT%H:%M:%S\n");
    for (MqttListener listener : options.listeners()) {
      conf.append('\n').append("listener ").append(ports.get(listener)).append(' ');
      conf.append(host).append('\n');
      options
          .tls()
          .ifPresentOrElse(
              tls -> secureListener(conf, listener, tls, files),
              () -> plainListener(conf, options, files));
    }
    return conf.toString();
  }

  private static void plainListener(StringBuilder conf, MqttBrokerOptions options, Files files) {
    conf.append("allow_anonymous true\n");
    if (options.acl()) {
      // Devices connect without credentials; a user name must match the password file.
      conf.append("password_file ").append(files.passwordFile()).append('\n');
      conf.append("acl_file ").append(files.aclFile()).append('\n');
    }
  }

  /**
   * A secure listener. On the device listeners the certificate's CN (or the secret's user name)
   * becomes the user name and replaces the client id ({@code use_username_as_clientid}): Mosquitto
   * cannot refuse another client id, so it overrides it, and a device can reach only its own
   * session. The back-end listener keeps the client ids the bridge gives (one per connection), so
   * its ACL grants nothing to any identity but the back end's.
   */
  private static void secureListener(
      StringBuilder conf, MqttListener listener, BrokerTls tls, Files files) {
    if (listener == MqttListener.WSS) {
      // Mosquitto's WebSockets serve any path; the MQTT subprotocol is required.
      conf.append("protocol websockets\n");
    }
    conf.append("certfile ").append(tls.certificateFile()).append('\n');
    conf.append("keyfile ").append(tls.keyFile()).append('\n');
    conf.append("allow_anonymous false\n");
    if (listener == MqttListener.SECRET) {
      conf.append("password_file ").append(tls.secretsFile()).append('\n');
    } else {
      conf.append("cafile ").append(tls.caFile()).append('\n');
      conf.append("crlfile ").append(tls.crlFile()).append('\n');
      conf.append("require_certificate true\n");
      conf.append("use_identity_as_username true\n");
    }
    if (listener == MqttListener.BACKEND) {
      conf.append("acl_file ").append(files.backendAclFile()).append('\n');
    } else {
      conf.append("use_username_as_clientid true\n");
      conf.append("acl_file ").append(files.aclFile()).append('\n');
    }
  }

  /**
   * The ACL of the secure device listeners: a device may use its own subtree, {@code %u} being the
   * id it authenticated with (the certificate's CN or the secret's user name).
   */
  public static String deviceAclFile() {
    return "pattern readwrite " + MqttBrokerOptions.DEVICE_ACL_PATTERN.replace("%c", "%u") + "\n";
  }

  /**
   * The ACL of the secure back-end listener: the back-end identity alone, reading the uplink topics
   * and the broker's statistics and writing the downlink topics; any other certificate of the CA
   * gets nothing here.
   */
  public static String backendAclFile(BrokerTls tls) {
    StringBuilder acl = new StringBuilder("user ").append(tls.backendIdentity()).append('\n');
    MqttBrokerOptions.BACKEND_SUBSCRIBE_FILTERS.forEach(
        filter -> acl.append("topic read ").append(filter).append('\n'));
    acl.append("topic read ").append(MqttBrokerOptions.BACKEND_SYS_FILTER).append('\n');
    MqttBrokerOptions.BACKEND_PUBLISH_FILTERS.forEach(
        filter -> acl.append("topic write ").append(filter).append('\n'));
    return acl.toString();
  }

  /**
   * The ACL of the plain listener: every client may use its own subtree ({@link
   * MqttBrokerOptions#DEVICE_ACL_PATTERN}), the back-end user all of {@link
   * MqttBrokerOptions#BACKEND_ACL_FILTER} and may read {@link
   * MqttBrokerOptions#BACKEND_SYS_FILTER}. Mosquitto checks shared subscriptions against the filter
   * after {@code $share/group/}, and checks read access per message delivered, not at subscribe
   * time.
   */
  public static String aclFile(MqttBrokerOptions options) {
    return "pattern readwrite "
        + MqttBrokerOptions.DEVICE_ACL_PATTERN
        + "\n\nuser "
        + options.backendUsername()
        + "\ntopic readwrite "
        + MqttBrokerOptions.BACKEND_ACL_FILTER
        + "\ntopic read "
        + MqttBrokerOptions.BACKEND_SYS_FILTER
        + "\n";
  }

  /** The password file with the back-end user, hashed as {@code mosquitto_passwd} does. */
  public static String passwordFile(MqttBrokerOptions options, SecureRandom random) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    return options.backendUsername()
        + ":"
        + passwordHash(options.backendPassword(), salt, PBKDF2_ITERATIONS)
        + "\n";
  }

  /**
   * Mosquitto's {@code $7$} format: PBKDF2 with HMAC-SHA512 over the password's UTF-8 bytes (as the
   * JDK encodes a PBEKeySpec), 64 bytes, Base64 salt and hash.
   */
  static String passwordHash(String password, byte[] salt, int iterations) {
    try {
      byte[] hash =
          SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
              .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 512))
              .getEncoded();
      Base64.Encoder base64 = Base64.getEncoder();
      return "$7$"
          + iterations
          + "$"
          + base64.encodeToString(salt)
          + "$"
          + base64.encodeToString(hash);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA512 is missing from this JVM", e);
    }
  }
}
