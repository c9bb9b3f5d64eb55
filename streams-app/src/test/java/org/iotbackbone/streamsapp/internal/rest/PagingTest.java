package org.iotbackbone.streamsapp.internal.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.iotbackbone.streamsapp.internal.json.Json;
import org.iotbackbone.streamsapp.internal.rest.Paging.Collector;
import org.iotbackbone.streamsapp.internal.rest.Paging.Listing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PagingTest {

  private static final Set<String> STATUSES = Set.of("IN_PROGRESS", "COMPLETED", "CANCELED");

  @Test
  void aQueryHasDefaultsAndReadsItsParameters() {
    Paging.Query none = Paging.query(Map.of(), Listing.JOBS, STATUSES);
    assertThat(none).isEqualTo(new Paging.Query(null, 50, null, false));
    String token = Paging.token(Listing.JOBS, "fw-7");
    Paging.Query all =
        Paging.query(
            Map.of("status", "CANCELED", "limit", "250", "nextToken", token),
            Listing.JOBS,
            STATUSES);
    assertThat(all).isEqualTo(new Paging.Query("CANCELED", 250, "fw-7", false));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "limit|0|limit|limit: must be a whole number from 1 to 250",
        "limit|251|limit|limit: must be a whole number from 1 to 250",
        "limit|ten|limit|limit: must be a whole number from 1 to 250",
        "status|DONE|status|status: must be one of [CANCELED, COMPLETED, IN_PROGRESS]",
        "nextToken|not-base64!|nextToken|nextToken: not a token of this list",
        "statuss|CANCELED|statuss|statuss: unknown query parameter",
      })
  void aBadParameterIsA400NamingIt(String name, String value, String field, String message) {
    assertThatThrownBy(() -> Paging.query(Map.of(name, value), Listing.JOBS, STATUSES))
        .isInstanceOfSatisfying(
            ApiError.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.getMessage()).startsWith(message);
            });
  }

  @Test
  void aTokenIsOfItsListOnly() {
    String token = Paging.token(Listing.JOB_EXECUTIONS, "lamp-1");
    assertThat(token).matches("[A-Za-z0-9_-]+");
    assertThat(Paging.after(Listing.JOB_EXECUTIONS, token)).isEqualTo("lamp-1");
    for (String other :
        List.of(
            Paging.token(Listing.DEVICE_JOBS, "lamp-1"),
            Paging.token(Listing.JOB_EXECUTIONS, "bad id"),
            "",
            "bGFtcC0x")) {
      assertThatThrownBy(() -> Paging.after(Listing.JOB_EXECUTIONS, other))
          .isInstanceOf(ApiError.class)
          .hasMessageStartingWith("nextToken: ");
    }
  }

  @Test
  void theCollectorKeepsTheFirstIdsAfterTheTokenWhateverTheOrderRead() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(String.format("d-%02d", i));
    }
    Collections.shuffle(ids, new java.util.Random(7));
    Paging.Query query = new Paging.Query("QUEUED", 3, "d-04", false);
    Collector collector = new Collector(query);
    for (String id : ids) {
      // Odd ids are IN_PROGRESS: filtered out.
      String status = Integer.parseInt(id.substring(2)) % 2 == 0 ? "QUEUED" : "IN_PROGRESS";
      if (collector.wants(id, status)) {
        collector.add(id, item(id));
      }
    }
    ObjectNode page = collector.page(Listing.JOB_EXECUTIONS);
    assertThat(ids(page)).containsExactly("d-06", "d-08", "d-10");
    assertThat(Paging.after(Listing.JOB_EXECUTIONS, page.path("nextToken").asText()))
        .isEqualTo("d-10");
  }

  @Test
  void theLastPageHasNoToken() {
    Collector collector = new Collector(new Paging.Query(null, 3, null, false));
    for (String id : List.of("c", "a", "b")) {
      collector.add(id, item(id));
    }
    ObjectNode page = collector.page(Listing.JOB_EXECUTIONS);
    assertThat(ids(page)).containsExactly("a", "b", "c");
    assertThat(page.has("nextToken")).isFalse();
  }

  @Test
  void partsOfInstancesAreMergedInIdOrderAndAPartWithMoreGivesAToken() {
    List<ObjectNode> items = new ArrayList<>();
    for (String id : List.of("d", "a", "c", "b")) {
      items.add(item(id));
    }
    ObjectNode exact = Paging.page(Listing.JOB_EXECUTIONS, items, false, 4);
    assertThat(ids(exact)).containsExactly("a", "b", "c", "d");
    assertThat(exact.has("nextToken")).isFalse();
    // An instance held more than it sent: the page is full, and there is a next one.
    ObjectNode more = Paging.page(Listing.JOB_EXECUTIONS, items, true, 4);
    assertThat(Paging.after(Listing.JOB_EXECUTIONS, more.path("nextToken").asText()))
        .isEqualTo("d");
    ObjectNode cut = Paging.page(Listing.JOB_EXECUTIONS, items, false, 2);
    assertThat(ids(cut)).containsExactly("a", "b");
    assertThat(Paging.after(Listing.JOB_EXECUTIONS, cut.path("nextToken").asText())).isEqualTo("b");
    assertThat(Paging.page(Listing.JOB_EXECUTIONS, List.of(), false, 2).toString())
        .isEqualTo("{\"executions\":[]}");
  }

  private static ObjectNode item(String deviceId) {
    return Json.object().put("deviceId", deviceId);
  }

  private static List<String> ids(ObjectNode page) {
    List<String> ids = new ArrayList<>();
    page.path("executions").forEach(item -> ids.add(item.path("deviceId").asText()));
    return ids;
  }
}
