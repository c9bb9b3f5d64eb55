package org.iotbackbone.streamsapp.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

  /** The 413 limit counts what Java's UTF-8 encoder writes, without encoding the text. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{\"temp\":21}",
        "{\"name\":\"café\"}",
        "{\"unit\":\"€\",\"cjk\":\"温度\"}",
        "{\"emoji\":\"\uD83D\uDE00\"}",
        "{\"lone\":\"\uD800\",\"low\":\"\uDC00x\",\"end\":\"\uD83D\"}",
        "{\"pair-then-lone\":\"\uD83D\uDE00\uD83D\"}"
      })
  void utf8LengthIsWhatGetBytesWrites(String text) {
    assertThat(Json.utf8Length(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":{\"b\":[1,\"x\",null,true]}}"})
  void utf8LengthOfWrittenTreesIsTheirTextsSize(String json) throws Exception {
    String written = Json.write(Json.parse(json));
    assertThat(Json.utf8Length(written)).isEqualTo(written.getBytes(StandardCharsets.UTF_8).length);
    assertThat(Json.utf8Length(null)).isZero();
  }
}
