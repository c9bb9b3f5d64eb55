package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The OpenAPI description lists every route the API serves. */
class OpenApiTest {

  @Test
  void everyRouteIsDescribed() throws Exception {
    String spec;
    try (InputStream in = StreamsApp.class.getResourceAsStream("/openapi.yaml")) {
      assertThat(in).isNotNull();
      spec = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(spec)
        .contains(
            "  /devices/{deviceId}/shadow:",
            "  /devices/{deviceId}/shadows/{shadowName}:",
            "  /devices/{deviceId}/commands:",
            "  /commands/{commandId}:",
            "  /devices:",
            "  /health:");
  }
}
