package org.iotbackbone.streamsapp.internal.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

/** A record stored and then forwarded is encoded once, and only when both topics agree. */
class EncodeOnceTest {

  private static final String CHANGELOG = "app-device-shadows-changelog";
  private static final String STATE = "iot.shadow.state";

  /** Writes "id:value", the id given per topic: what a registry serde does with schema ids. */
  private static final class FakeSerde implements Serde<StringBuilder> {
    final List<String> encoded = new ArrayList<>();
    String changelogId = "7";
    String stateId = "7";

    @Override
    public Serializer<StringBuilder> serializer() {
      return (topic, value) -> {
        if (value == null) {
          return null;
        }
        encoded.add(topic);
        String id = topic.equals(STATE) ? stateId : changelogId;
        return (id + ":" + value).getBytes(StandardCharsets.UTF_8);
      };
    }

    @Override
    public Deserializer<StringBuilder> deserializer() {
      return (topic, bytes) -> new StringBuilder(new String(bytes, StandardCharsets.UTF_8));
    }
  }

  @Test
  void theSameRecordForASecondTopicIsEncodedOnceTheTopicsAreSeenToAgree() {
    FakeSerde fake = new FakeSerde();
    Serializer<StringBuilder> serializer = new EncodeOnce<>(fake).serializer();

    for (int i = 0; i < 10; i++) {
      StringBuilder record = new StringBuilder("record-" + i);
      assertThat(text(serializer.serialize(CHANGELOG, record))).isEqualTo("7:record-" + i);
      assertThat(text(serializer.serialize(STATE, record))).isEqualTo("7:record-" + i);
    }

    // The first pair taught it that the topics agree; from then on one encoding per record.
    assertThat(fake.encoded).hasSize(2 + 9);
  }

  @Test
  void anotherRecordOrTheSameTopicIsEncodedAgain() {
    FakeSerde fake = new FakeSerde();
    Serializer<StringBuilder> serializer = new EncodeOnce<>(fake).serializer();
    StringBuilder record = new StringBuilder("a");
    serializer.serialize(CHANGELOG, record);
    serializer.serialize(STATE, record);

    // An equal record that is another object: encoded (identity, not equality, is what is known).
    assertThat(text(serializer.serialize(STATE, new StringBuilder("a")))).isEqualTo("7:a");
    serializer.serialize(CHANGELOG, record);
    serializer.serialize(CHANGELOG, record);
    assertThat(fake.encoded).hasSize(5);
    assertThat(serializer.serialize(CHANGELOG, null)).isNull();
  }

  @Test
  void topicsWithOtherSchemaIdsAreAlwaysEncoded() {
    FakeSerde fake = new FakeSerde();
    fake.stateId = "8";
    Serializer<StringBuilder> serializer = new EncodeOnce<>(fake).serializer();

    for (int i = 0; i < 5; i++) {
      StringBuilder record = new StringBuilder("r" + i);
      assertThat(text(serializer.serialize(CHANGELOG, record))).isEqualTo("7:r" + i);
      assertThat(text(serializer.serialize(STATE, record))).isEqualTo("8:r" + i);
    }
    assertThat(fake.encoded).hasSize(10);
  }

  @Test
  void aSchemaIdThatChangesIsNoticedWithinOneCheckInterval() {
    FakeSerde fake = new FakeSerde();
    Serializer<StringBuilder> serializer = new EncodeOnce<>(fake).serializer();
    StringBuilder first = new StringBuilder("first");
    serializer.serialize(CHANGELOG, first);
    serializer.serialize(STATE, first);

    fake.stateId = "9"; // the state topic's subject got another id
    int stale = 0;
    for (int i = 0; i < 2 * EncodeOnce.CHECK_EVERY; i++) {
      StringBuilder record = new StringBuilder("r" + i);
      serializer.serialize(CHANGELOG, record);
      if (text(serializer.serialize(STATE, record)).startsWith("7:")) {
        stale++;
      }
    }

    assertThat(stale).isLessThan(EncodeOnce.CHECK_EVERY);
    StringBuilder after = new StringBuilder("after");
    serializer.serialize(CHANGELOG, after);
    assertThat(text(serializer.serialize(STATE, after))).isEqualTo("9:after");
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
