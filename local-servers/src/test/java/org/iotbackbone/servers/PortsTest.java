package org.iotbackbone.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTest {

  @Test
  void portsAreDistinctBindableAndBelowTheEphemeralRange() throws Exception {
    int ephemeralLow = Ports.ephemeralLow();
    if (System.getProperty("os.name").startsWith("Linux")) {
      assertThat(ephemeralLow).as("the low end of ip_local_port_range").isGreaterThan(1024);
    }
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      int port = Ports.free();
      assertThat(ports.add(port)).as("port %d handed out twice", port).isTrue();
      if (ephemeralLow > 11_000) {
        assertThat(port).isBetween(10_000, ephemeralLow - 1);
      }
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertThat(socket.getLocalPort()).isEqualTo(port);
      }
    }
  }
}
