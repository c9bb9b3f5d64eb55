package org.iotbackbone.schemas.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ValidatorsTest {

  @Test
  void httpUrl() {
    assertThatCode(() -> Validators.httpUrl().ensureValid("u", "https://r:8080/apis/registry/v3"))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> Validators.httpUrl().ensureValid("schema.registry.url", "ftp://r"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url");
    assertThatThrownBy(() -> Validators.httpUrl().ensureValid("u", "http://"))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void matching() {
    assertThatCode(() -> Validators.matching("[a-z]{1,3}").ensureValid("k", "abc"))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> Validators.matching("[a-z]{1,3}").ensureValid("bridge.id", "abcd"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bridge.id");
  }

  @Test
  void hostPortList() {
    assertThatCode(() -> Validators.hostPortList().ensureValid("b", List.of("k1:9092", "[::1]:1")))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> Validators.hostPortList().ensureValid("b", List.of()))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> Validators.hostPortList().ensureValid("b", List.of("k1")))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> Validators.hostPortList().ensureValid("b", List.of("k1:70000")))
        .isInstanceOf(ConfigException.class);
  }
}
