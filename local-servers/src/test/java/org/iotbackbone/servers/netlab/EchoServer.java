package org.iotbackbone.servers.netlab;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A TCP echo server for {@link NetLabIT}, run in a host's namespace: {@code EchoServer ADDRESS
 * PORT}. Prints {@code LISTENING} and the inode of its network namespace once bound; echoes each
 * line back.
 */
public final class EchoServer {

  private EchoServer() {}

  public static void main(String[] args) throws Exception {
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1])));
      System.out.println("LISTENING " + Files.readSymbolicLink(Path.of("/proc/self/ns/net")));
      System.out.flush();
      while (true) {
        Socket socket = server.accept();
        Thread thread = new Thread(() -> echo(socket), "echo");
        thread.setDaemon(true);
        thread.start();
      }
    }
  }

  private static void echo(Socket socket) {
    try (socket;
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      String line;
      while ((line = in.readLine()) != null) {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (Exception e) {
      // the client went away
    }
  }
}
