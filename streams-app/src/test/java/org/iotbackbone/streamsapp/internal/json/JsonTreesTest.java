package org.iotbackbone.streamsapp.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class JsonTreesTest {

  private static ObjectNode o(String singleQuoted) {
    return Json.parseObject(singleQuoted.replace('\'', '"'));
  }

  @Test
  void mergeReplacesALeafByAnObjectAndBackWithTheirMetadata() {
    ObjectNode target = o("{'a':1}");
    ObjectNode meta = o("{'a':{'timestamp':1}}");
    JsonTrees.merge(target, meta, o("{'a':{'b':2}}"), 5);
    assertThat(target).isEqualTo(o("{'a':{'b':2}}"));
    assertThat(Json.write(meta)).isEqualTo(Json.write(o("{'a':{'b':{'timestamp':5}}}")));
    JsonTrees.merge(target, meta, o("{'a':3}"), 6);
    assertThat(Json.write(meta)).isEqualTo(Json.write(o("{'a':{'timestamp':6}}")));
  }

  @Test
  void aKeyCalledTimestampIsDataNotMetadata() {
    ObjectNode target = Json.object();
    ObjectNode meta = Json.object();
    JsonTrees.merge(target, meta, o("{'t':{'timestamp':1}}"), 5);
    JsonTrees.merge(target, meta, o("{'t':{'other':2}}"), 6);
    assertThat(Json.write(meta))
        .isEqualTo(Json.write(o("{'t':{'timestamp':{'timestamp':5},'other':{'timestamp':6}}}")));
  }

  @Test
  void theDeltaLeavesOutEqualLeavesAndEmptyObjects() {
    assertThat(
            JsonTrees.delta(
                o("{'a':1,'b':{'c':1,'d':[1]},'e':{}}"), o("{'a':1,'b':{'c':2,'d':[1]}}")))
        .isEqualTo(o("{'b':{'c':1}}"));
    assertThat(JsonTrees.delta(o("{'a':{'b':1}}"), o("{'a':5}"))).isEqualTo(o("{'a':{'b':1}}"));
    assertThat(JsonTrees.delta(o("{'a':[1,2]}"), o("{'a':[2,1]}"))).isEqualTo(o("{'a':[1,2]}"));
  }

  @Test
  void depthCountsObjectLevelsIncludingObjectsInArrays() {
    assertThat(JsonTrees.depth(o("{}"))).isEqualTo(1);
    assertThat(JsonTrees.depth(o("{'a':1}"))).isEqualTo(1);
    assertThat(JsonTrees.depth(o("{'a':{'b':1}}"))).isEqualTo(2);
    assertThat(JsonTrees.depth(o("{'a':[1,[2]]}"))).isEqualTo(1);
    assertThat(JsonTrees.depth(o("{'a':[{'b':{'c':1}}]}"))).isEqualTo(3);
  }
}
