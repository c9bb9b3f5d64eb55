package org.iotbackbone.streamsapp.internal.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.iotbackbone.streamsapp.internal.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetFilterTest {

  private static JsonNode reported(String json) throws Exception {
    return Json.parse(json);
  }

  @Test
  void matchesTheDesignsExample() throws Exception {
    TargetFilter filter = TargetFilter.parse("model = speaker-300 and firmware < 2.4.0");
    assertThat(filter.matches(reported("{\"model\":\"speaker-300\",\"firmware\":\"2.3.9\"}")))
        .isTrue();
    assertThat(filter.matches(reported("{\"model\":\"speaker-300\",\"firmware\":\"2.4.0\"}")))
        .isFalse();
    assertThat(filter.matches(reported("{\"model\":\"speaker-200\",\"firmware\":\"1.0\"}")))
        .isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "2.10.0, >, 2.9.0, true",
    "2.9.0, <, 2.10.0, true",
    "2.4, =, 2.4.0, true",
    "v1.10, >, v1.9, true",
    "10, >, 9, true",
    "2.4.0-beta, <, 2.4.0, false"
  })
  void comparesVersionsAsVersions(String have, String op, String want, boolean expected)
      throws Exception {
    TargetFilter filter = TargetFilter.parse("firmware " + op + " " + want);
    assertThat(filter.matches(reported("{\"firmware\":\"" + have + "\"}")))
        .as(have + " " + op + " " + want)
        .isEqualTo(expected);
  }

  @Test
  void comparesNumbersAsNumbersAndPathsIntoObjects() throws Exception {
    JsonNode state = reported("{\"battery\":{\"level\":2.45},\"count\":10,\"on\":true}");
    assertThat(TargetFilter.parse("battery.level < 2.5").matches(state)).isTrue();
    assertThat(TargetFilter.parse("count >= 9").matches(state)).isTrue();
    assertThat(TargetFilter.parse("count > 10").matches(state)).isFalse();
    assertThat(TargetFilter.parse("on = true").matches(state)).isTrue();
    assertThat(TargetFilter.parse("on != true").matches(state)).isFalse();
  }

  @Test
  void aMissingFieldOrAnObjectNeverMatches() throws Exception {
    JsonNode state = reported("{\"battery\":{\"level\":2}}");
    assertThat(TargetFilter.parse("model != speaker-300").matches(state)).isFalse();
    assertThat(TargetFilter.parse("battery = 2").matches(state)).isFalse();
    assertThat(TargetFilter.parse("battery.level = high").matches(state)).isFalse();
    assertThat(TargetFilter.parse("model = x").matches(null)).isFalse();
  }

  @Test
  void andBindsTighterThanOrAndParenthesesGroup() throws Exception {
    JsonNode a = reported("{\"a\":1,\"b\":0,\"c\":1}");
    assertThat(TargetFilter.parse("a = 1 or b = 1 and c = 0").matches(a)).isTrue();
    assertThat(TargetFilter.parse("(a = 1 or b = 1) and c = 0").matches(a)).isFalse();
    assertThat(TargetFilter.parse("a = 2 OR (b = 0 AND c = 1)").matches(a)).isTrue();
  }

  @Test
  void quotedStringsMayHoldSpacesAndQuotes() throws Exception {
    JsonNode state = reported("{\"room\":\"living \\\"big\\\" room\"}");
    assertThat(TargetFilter.parse("room = \"living \\\"big\\\" room\"").matches(state)).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "model speaker-300| 7|an operator (= != < <= > >=) after model|'speaker-300'",
        "model =| 8|a value|the end",
        "model = x and| 14|a field name or '('|the end",
        "(model = x| 11|')' or 'and' or 'or'|the end",
        "model = x)| 10|'and', 'or' or the end|')'",
        "model ! x| 7|'!='|'!'",
        "model = \"x| 9|a closing '\"'|the end",
        "model = x & y = 1| 11|a field, an operator|'&'",
        "2model = x| 1|a field: names of|'2model'",
        "a..b = x| 1|a field: names of|'a..b'",
        "model = and| 9|a value|'and'",
        "or = x| 1|a field name or '('|'or'",
        "model == x| 8|a value|'='"
      })
  void badFiltersNameThePositionAndWhatWasExpected(
      String filter, int position, String expected, String found) {
    assertThatThrownBy(() -> TargetFilter.parse(filter))
        .isInstanceOf(FilterException.class)
        .hasMessageContaining("at position " + position + ":")
        .hasMessageContaining("expected " + expected)
        .hasMessageContaining("found " + found)
        .satisfies(e -> assertThat(((FilterException) e).position()).isEqualTo(position));
  }

  @Test
  void refusesEmptyTooLongAndTooDeepFilters() {
    assertThatThrownBy(() -> TargetFilter.parse(" "))
        .hasMessageContaining("at position 1: expected a filter");
    assertThatThrownBy(() -> TargetFilter.parse("a = " + "x".repeat(TargetFilter.MAX_LENGTH)))
        .hasMessageContaining("expected at most 2048 characters");
    String deep = "(".repeat(17) + "a = 1" + ")".repeat(17);
    assertThatThrownBy(() -> TargetFilter.parse(deep))
        .hasMessageContaining("at position 17: expected at most 16 nested parentheses");
    assertThat(TargetFilter.parse("(".repeat(16) + "a = 1" + ")".repeat(16)).text())
        .startsWith("((");
  }
}
