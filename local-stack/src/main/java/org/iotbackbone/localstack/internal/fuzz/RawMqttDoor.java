package org.iotbackbone.localstack.internal.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Random;
import org.iotbackbone.localstack.internal.DeviceEndpoints;

/**
 * Malformed MQTT through a raw socket, where no client library stands between the fuzzer and the
 * broker: garbage, truncated and malformed CONNECTs, bad and huge remaining lengths, packets before
 * CONNECT, a good CONNECT followed by a broken packet. After sending, the fuzzer closes its side;
 * accounted for means the broker closed the connection within {@link #CLOSE_TIMEOUT_MS} (a refusal,
 * with or without a CONNACK or DISCONNECT first). A broker that keeps the connection open, or stops
 * accepting connections, fails the input.
 */
final class RawMqttDoor {

  static final String DOOR = "raw-mqtt";
  private static final int CLOSE_TIMEOUT_MS = 10_000;

  /**
   * The client ids (and, on secure brokers, the certificates' CNs) the packets carry, taken in
   * turn: a few certificates rather than one an input.
   */
  private static final int DEVICES = 8;

  private final DeviceEndpoints devices;
  private final List<InetSocketAddress> brokers;
  private final String runId;
  private final long seed;
  private final Ledger ledger;

  RawMqttDoor(DeviceEndpoints devices, String runId, long seed, Ledger ledger) {
    this.devices = devices;
    this.brokers = devices.brokers();
    this.runId = runId;
    this.seed = seed;
    this.ledger = ledger;
  }

  void run(int count) {
    for (int n = 0; n < count; n++) {
      Random random = Inputs.forInput(seed, DOOR, n);
      InetSocketAddress broker = brokers.get(random.nextInt(brokers.size()));
      String[] kind = new String[1];
      byte[] bytes = packet(random, n, kind);
      ledger.input(DOOR);
      send(broker, clientId(n), bytes, n, kind[0]);
    }
  }

  private String clientId(long n) {
    return runId + "-r" + (n % DEVICES);
  }

  /**
   * A connection to the broker: on secure brokers a TLS one, handshaken with the certificate of
   * {@code clientId}, so that the bytes reach MQTT's parser rather than TLS's.
   */
  private Socket open(InetSocketAddress broker, String clientId) throws IOException {
    if (devices.secure()) {
      return devices.tlsSocket(clientId, broker, 5_000);
    }
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(broker.getHostString(), broker.getPort()), 5_000);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    return socket;
  }

  private void send(InetSocketAddress broker, String clientId, byte[] bytes, long n, String kind) {
    String description = "raw#" + n + " " + kind + " (" + bytes.length + " bytes) to " + broker;
    Socket opened;
    try {
      opened = open(broker, clientId);
    } catch (IOException e) {
      ledger.fail(
          DOOR,
          n,
          "broker-accepts",
          "connection refused before sending (" + e + "): " + description);
      return;
    }
    try (Socket socket = opened) {
      socket.setSoTimeout(CLOSE_TIMEOUT_MS);
      try {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        socket.shutdownOutput();
      } catch (IOException e) {
        // The broker closed first, reading part of it: a refusal.
        ledger.outcome(DOOR, description, "closed by the broker while sending");
        return;
      }
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buffer = new byte[512];
      long deadline = System.currentTimeMillis() + CLOSE_TIMEOUT_MS;
      while (true) {
        int read;
        try {
          read = in.read(buffer);
        } catch (SocketTimeoutException e) {
          ledger.fail(
              DOOR, n, "broker-closes", "the broker kept the connection open: " + description);
          return;
        } catch (IOException e) {
          ledger.outcome(
              DOOR,
              description,
              "closed by the broker (reset)" + firstPacket(answer.toByteArray()));
          return;
        }
        if (read < 0) {
          ledger.outcome(
              DOOR, description, "closed by the broker" + firstPacket(answer.toByteArray()));
          return;
        }
        answer.write(buffer, 0, read);
        if (System.currentTimeMillis() > deadline) {
          ledger.fail(DOOR, n, "broker-closes", "the broker kept sending: " + description);
          return;
        }
      }
    } catch (IOException e) {
      ledger.outcome(
          DOOR, description, "closed by the broker (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** What the broker said before closing: its first packet's type and reason code. */
  private static String firstPacket(byte[] answer) {
    if (answer.length == 0) {
      return ", nothing sent";
    }
    int type = (answer[0] & 0xFF) >> 4;
    String name =
        switch (type) {
          case 2 -> "CONNACK";
          case 14 -> "DISCONNECT";
          case 13 -> "PINGRESP";
          case 4 -> "PUBACK";
          case 5 -> "PUBREC";
          case 9 -> "SUBACK";
          default -> "packet type " + type;
        };
    // CONNACK: flags, reason code; DISCONNECT (v5): reason code first.
    int codeAt = type == 2 ? 3 : 2;
    String code = answer.length > codeAt ? String.format(" 0x%02X", answer[codeAt] & 0xFF) : "";
    return ", after " + name + code;
  }

  private byte[] packet(Random random, long n, String[] kind) {
    String clientId = clientId(n);
    switch (random.nextInt(10)) {
      case 0 -> {
        kind[0] = "garbage";
        return Inputs.bytes(random, 1 + random.nextInt(2000));
      }
      case 1 -> {
        kind[0] = "truncated CONNECT";
        byte[] connect = connect(random, clientId, 5, 0);
        return java.util.Arrays.copyOf(connect, 1 + random.nextInt(connect.length - 1));
      }
      case 2 -> {
        kind[0] = "CONNECT, remaining length over 4 bytes";
        return concat(
            new byte[] {0x10, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F},
            Inputs.bytes(random, random.nextInt(50)));
      }
      case 3 -> {
        kind[0] = "CONNECT, huge remaining length";
        int length = 200_000_000 + random.nextInt(68_000_000);
        return concat(
            concat(new byte[] {0x10}, varint(length)), Inputs.bytes(random, random.nextInt(100)));
      }
      case 4 -> {
        int[] levels = {0, 1, 2, 6, 7, 99, 255};
        int level = levels[random.nextInt(levels.length)];
        kind[0] = "CONNECT, protocol level " + level;
        return connect(random, clientId, level, 0);
      }
      case 5 -> {
        kind[0] = "CONNECT, reserved flag set";
        return connect(random, clientId, random.nextBoolean() ? 4 : 5, 0x01);
      }
      case 6 -> {
        int type = 2 + random.nextInt(13);
        kind[0] = "packet type " + type + " before CONNECT";
        byte[] body = Inputs.bytes(random, random.nextInt(30));
        return concat(concat(new byte[] {(byte) (type << 4)}, varint(body.length)), body);
      }
      case 7 -> {
        kind[0] = "CONNECT then PUBLISH with QoS 3";
        byte[] topic = utf8Field(Inputs.utf8("devices/" + clientId + "/events/x"));
        byte[] publish =
            concat(
                concat(new byte[] {0x36}, varint(topic.length + 2 + 4)),
                concat(topic, new byte[] {0, 1, 1, 2, 3, 4}));
        return concat(connect(random, clientId, random.nextBoolean() ? 4 : 5, 0), publish);
      }
      case 8 -> {
        kind[0] = "CONNECT then PUBLISH with a topic that is not UTF-8";
        byte[] topic = utf8Field(new byte[] {'d', (byte) 0xC0, (byte) 0xAF, '/', (byte) 0xFF});
        byte[] publish =
            concat(
                concat(new byte[] {0x30}, varint(topic.length + 1)), concat(topic, new byte[] {1}));
        return concat(connect(random, clientId, 4, 0), publish);
      }
      default -> {
        kind[0] = "CONNECT then garbage";
        return concat(
            connect(random, clientId, random.nextBoolean() ? 4 : 5, 0),
            Inputs.bytes(random, 1 + random.nextInt(500)));
      }
    }
  }

  /**
   * A CONNECT of protocol {@code level} (4: 3.1.1, 5: MQTT 5), with {@code flags} or'ed into its
   * connect flags (clean start is set), a random keep-alive and the client id.
   */
  private static byte[] connect(Random random, String clientId, int level, int flags) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(utf8Field(Inputs.utf8(random.nextInt(20) == 0 ? "MQTX" : "MQTT")));
    body.write(level);
    body.write(0x02 | flags);
    int keepAlive = random.nextInt(120);
    body.write(keepAlive >> 8);
    body.write(keepAlive);
    if (level == 5) {
      body.write(0); // no properties
    }
    body.writeBytes(utf8Field(Inputs.utf8(clientId)));
    byte[] b = body.toByteArray();
    return concat(concat(new byte[] {0x10}, varint(b.length)), b);
  }

  private static byte[] utf8Field(byte[] bytes) {
    return concat(new byte[] {(byte) (bytes.length >> 8), (byte) bytes.length}, bytes);
  }

  private static byte[] varint(int value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    do {
      int digit = value % 128;
      value /= 128;
      out.write(value > 0 ? digit | 0x80 : digit);
    } while (value > 0);
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
