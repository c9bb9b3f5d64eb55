package org.iotbackbone.streamsapp.internal.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.iotbackbone.streamsapp.internal.json.Json;

/**
 * The paged lists of the jobs routes: ordered by an id (a job's or a device's, both 1 to 64 of
 * {@code [A-Za-z0-9_-]}, so that their string order is their stores' byte order), a page of at most
 * {@code limit}, and a {@code nextToken} to ask for the next. A token is the last id of the page,
 * tagged with its list, so that the next page starts after it whatever was added or removed
 * meanwhile; it is opaque to callers (base64url) and refused in another list. Pure.
 */
final class Paging {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 250;

  /** Set by an instance asking another for its own part of a list. */
  static final String LOCAL = "local";

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private Paging() {}

  /** The paged lists: the tag of their tokens, the array their page holds, its items' id. */
  enum Listing {
    JOBS("jobs", "jobs", "jobId"),
    JOB_EXECUTIONS("job-executions", "executions", "deviceId"),
    DEVICE_JOBS("device-jobs", "executions", "jobId");

    private final String tag;
    private final String field;
    private final String idField;

    Listing(String tag, String field, String idField) {
      this.tag = tag;
      this.field = field;
      this.idField = idField;
    }

    /** The array of items in the answer. */
    String field() {
      return field;
    }
  }

  /**
   * What a list request asks for.
   *
   * @param status the status to keep, or null for all
   * @param limit the most items on the page
   * @param after the id the page starts after, or null for the first page
   * @param local whether only this instance's part is asked for
   */
  record Query(String status, int limit, String after, boolean local) {

    /** Whether an item of this status and id belongs to the page (before the limit). */
    boolean wants(String id, String itemStatus) {
      return (after == null || id.compareTo(after) > 0)
          && (status == null || status.equals(itemStatus));
    }
  }

  /**
   * Reads a list's query parameters: {@code status} (one of {@code statuses}), {@code limit} (1 to
   * {@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}), {@code nextToken} (of this list). Any
   * other parameter is refused, so that a misspelt one is never silently ignored.
   */
  static Query query(Map<String, String> params, Listing list, Set<String> statuses) {
    for (String name : params.keySet()) {
      if (!Set.of("status", "limit", "nextToken", LOCAL).contains(name)) {
        throw ApiError.field(
            400, name, "unknown query parameter (status, limit and nextToken are known)");
      }
    }
    String status = params.get("status");
    if (status != null && !statuses.contains(status)) {
      throw ApiError.field(400, "status", "must be one of " + new TreeSet<>(statuses));
    }
    int limit = DEFAULT_LIMIT;
    if (params.containsKey("limit")) {
      limit = limit(params.get("limit"));
    }
    String token = params.get("nextToken");
    String after = token == null ? null : after(list, token);
    return new Query(status, limit, after, params.containsKey(LOCAL));
  }

  private static int limit(String value) {
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiError.field(400, "limit", "must be a whole number from 1 to " + MAX_LIMIT);
  }

  /** The token of a page of {@code list} that ended with {@code lastId}. */
  static String token(Listing list, String lastId) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((list.tag + ":" + lastId).getBytes(StandardCharsets.UTF_8));
  }

  /** The id a token of {@code list} says the next page starts after; 400 for any other token. */
  static String after(Listing list, String token) {
    String decoded;
    try {
      decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      decoded = "";
    }
    String prefix = list.tag + ":";
    if (!decoded.startsWith(prefix) || !ID.matcher(decoded.substring(prefix.length())).matches()) {
      throw ApiError.field(
          400, "nextToken", "not a token of this list (pass the nextToken of its last page)");
    }
    return decoded.substring(prefix.length());
  }

  /**
   * The first {@code limit} of the items {@code wanted} by the query, in id order, kept while
   * reading items in any order (a store's partitions one after the other): at most {@code limit +
   * 1} are held, the one over the limit telling that there is more.
   */
  static final class Collector {
    private final Query query;
    private final TreeMap<String, ObjectNode> kept = new TreeMap<>();

    Collector(Query query) {
      this.query = query;
    }

    /** Whether an item of that id and status would be kept (to spare building it). */
    boolean wants(String id, String status) {
      return query.wants(id, status)
          && (kept.size() <= query.limit() || id.compareTo(kept.lastKey()) < 0);
    }

    void add(String id, ObjectNode item) {
      kept.put(id, item);
      if (kept.size() > query.limit() + 1) {
        kept.pollLastEntry();
      }
    }

    /** The page: the first {@code limit} items and, when there were more, a token. */
    ObjectNode page(Listing list) {
      return Paging.page(list, new ArrayList<>(kept.values()), false, query.limit());
    }
  }

  /**
   * A page from parts of a list (each instance's, in any order): all their items sorted by id, the
   * first {@code limit} kept, and a token when there are more, either here or in a part that said
   * so (with its own {@code nextToken}).
   */
  static ObjectNode page(Listing list, List<ObjectNode> items, boolean partHasMore, int limit) {
    List<ObjectNode> sorted = new ArrayList<>(items);
    sorted.sort(Comparator.comparing(item -> item.path(list.idField).asText()));
    ObjectNode out = Json.object();
    ArrayNode page = out.putArray(list.field);
    sorted.stream().limit(limit).forEach(page::add);
    if ((partHasMore || sorted.size() > limit) && !page.isEmpty()) {
      out.put("nextToken", token(list, page.get(page.size() - 1).path(list.idField).asText()));
    }
    return out;
  }
}
