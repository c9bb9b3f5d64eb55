package org.iotbackbone.simulator.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay between MQTT devices and a broker that a test can break, as a device's network does:
 * it cuts every connection at once (both ends see the socket close, the broker sends the device's
 * will), refuses new ones for a while (the device stays away), or holds what a device sends after
 * its first packet, its CONNECT (the broker's CONNACK reaches the device, its SUBSCRIBE does not:
 * what a saturated broker or client does to a device during a connect ramp).
 */
final class TcpRelay implements AutoCloseable {

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicLong bytesToDevices = new AtomicLong();
  private volatile boolean refusing;
  private volatile CountDownLatch hold;

  TcpRelay(String host, int port) throws IOException {
    this.target = new InetSocketAddress(host, port);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "relay-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Bytes the broker sent to devices so far (a CONNACK is a few). */
  long bytesToDevices() {
    return bytesToDevices.get();
  }

  /** From now on, what a new connection sends after its CONNECT waits for {@link #release()}. */
  void holdAfterConnect() {
    hold = new CountDownLatch(1);
  }

  /** Lets held connections go on. */
  void release() {
    CountDownLatch held = hold;
    hold = null;
    if (held != null) {
      held.countDown();
    }
  }

  /** Closes new connections at once while true. */
  void refusing(boolean refusing) {
    this.refusing = refusing;
  }

  /** Closes every open connection, on both sides. */
  void cut() {
    for (Socket socket : open) {
      closeQuietly(socket);
    }
    open.clear();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket device = server.accept();
        if (refusing) {
          closeQuietly(device);
          continue;
        }
        Socket broker = new Socket();
        broker.connect(target, 5_000);
        device.setTcpNoDelay(true);
        broker.setTcpNoDelay(true);
        open.add(device);
        open.add(broker);
        CountDownLatch held = hold;
        pump(device, broker, held, null);
        pump(broker, device, null, bytesToDevices);
      } catch (IOException e) {
        // Closed, or the broker refused: the device sees its connection end.
      }
    }
  }

  private void pump(Socket from, Socket to, CountDownLatch held, AtomicLong counted) {
    Thread thread =
        new Thread(
            () -> {
              try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                if (held != null) {
                  out.write(firstPacket(in));
                  out.flush();
                  held.await();
                }
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                  out.write(buffer, 0, n);
                  out.flush();
                  if (counted != null) {
                    counted.addAndGet(n);
                  }
                }
              } catch (IOException | InterruptedException e) {
                // One side closed.
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "relay-pump");
    thread.setDaemon(true);
    thread.start();
  }

  /** One MQTT packet: its fixed header (type, remaining length as a varint) and its body. */
  private static byte[] firstPacket(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    java.io.ByteArrayOutputStream packet = new java.io.ByteArrayOutputStream();
    packet.write(data.readUnsignedByte());
    int length = 0;
    int shift = 0;
    int digit;
    do {
      digit = data.readUnsignedByte();
      packet.write(digit);
      length |= (digit & 0x7f) << shift;
      shift += 7;
    } while ((digit & 0x80) != 0);
    byte[] body = new byte[length];
    data.readFully(body);
    packet.write(body);
    return packet.toByteArray();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    release();
    try {
      server.close();
    } catch (IOException e) {
      // already closed
    }
    cut();
  }
}
