package org.iotbackbone.streamsapp.internal.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.streamsapp.ShadowTopology;
import org.iotbackbone.streamsapp.internal.json.Json;
import org.iotbackbone.streamsapp.internal.shadow.ShadowJson;

/**
 * Reads the stores through Kafka Streams interactive queries: a key is read where its partition is
 * active, here or, forwarded over HTTP, on the instance that owns it; a command by its id alone,
 * which does not say its partition, on every instance.
 */
final class Queries {

  /** Set on a forwarded request: the receiver answers from its own store or says it cannot. */
  static final String FORWARDED_HEADER = "X-Iot-Forwarded";

  private final KafkaStreams streams;
  private final HostInfo self;
  private final HttpClient http;
  private final Duration timeout;
  private final String scheme;

  /**
   * @param security with TLS on the listener, the other instances are asked over https, trusting
   *     its forwarding context (the configured trust store), else the JVM's trust store ({@code
   *     javax.net.ssl.trustStore})
   */
  Queries(KafkaStreams streams, HostInfo self, Duration timeout, HttpSecurity security) {
    this.streams = streams;
    this.self = self;
    this.timeout = timeout;
    this.scheme = security.tlsEnabled() ? "https" : "http";
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(timeout);
    if (security.tlsEnabled() && security.forwardingTls() != null) {
      client.sslContext(security.forwardingTls());
    }
    this.http = client.build();
  }

  /** A device's record, from the instance that owns it; null when there is none. */
  Reply shadow(String deviceId, Forwarding request, Function<DeviceShadow, Reply> view) {
    return keyed(ShadowTopology.SHADOW_STORE, deviceId, request, view);
  }

  /**
   * A command's status view by its id alone. The store is partitioned by device, so the id does not
   * say where it is: this instance's tasks are read at once (all its active partitions), then, on a
   * miss, every other instance is asked at the same time. 404 only when all of them said they have
   * none; when one could not say (rebalancing: 503), its answer is the answer, as it may hold it.
   */
  Reply command(String commandId, Forwarding request) {
    String local = localCommand(commandId);
    if (local != null) {
      return Reply.ok(local);
    }
    if (request.forwarded()) {
      // The sender asks every instance itself: this one answers for its own tasks only.
      throw noCommand(commandId);
    }
    List<HostInfo> others = otherActiveHosts(ShadowTopology.COMMAND_STORE);
    List<Reply> answers = forwardAll(others, request.pathAndQuery(), request.authorization());
    // The first instance that has it answers; else the first that could not say (503, 401), or
    // could not be reached (502); a 404 only when every one said no.
    Reply unsure = null;
    ApiError unreachable = null;
    for (int i = 0; i < answers.size(); i++) {
      Reply answer = answers.get(i);
      if (answer == null) {
        unreachable =
            unreachable != null
                ? unreachable
                : new ApiError(
                    502,
                    "An instance that may hold the command cannot be reached: " + others.get(i));
      } else if (answer.status() == 200) {
        return answer;
      } else if (answer.status() != 404 && unsure == null) {
        unsure = answer;
      }
    }
    if (unsure != null) {
      return unsure;
    }
    if (unreachable != null) {
      throw unreachable;
    }
    throw noCommand(commandId);
  }

  /**
   * A command's status view as one of its device's commands: read in the device's task, here or
   * forwarded to the instance that owns it, like the device's shadow; 404 when that task holds no
   * such command of this device.
   */
  Reply deviceCommand(String deviceId, String commandId, Forwarding request) {
    return this.<String>keyed(
        ShadowTopology.COMMAND_STORE,
        deviceId,
        commandId,
        request,
        view -> {
          if (view == null || !deviceId.equals(Json.parseObject(view).path("deviceId").asText())) {
            throw new ApiError(
                404, "No command with id '" + commandId + "' for device '" + deviceId + "'");
          }
          return Reply.ok(view);
        });
  }

  /** The view in this instance's active tasks, null if none holds it. */
  private String localCommand(String commandId) {
    ReadOnlyKeyValueStore<String, String> store = localStore(ShadowTopology.COMMAND_STORE);
    if (store == null) {
      return null;
    }
    try {
      return store.get(commandId);
    } catch (InvalidStateStoreException e) {
      throw unavailable();
    }
  }

  private static ApiError noCommand(String commandId) {
    return new ApiError(404, "No command with id '" + commandId + "'");
  }

  /**
   * A key's value of a store, viewed on the instance whose active partition holds it: here, or
   * forwarded there (the answer is then the owner's, as it is).
   */
  <V> Reply keyed(String store, String key, Forwarding request, Function<V, Reply> view) {
    return keyed(store, key, key, request, view);
  }

  /**
   * The value of {@code key} in the partition of {@code partitionKey} (a device's, for a store of
   * its task keyed otherwise), viewed on the instance whose active partition that is.
   */
  private <V> Reply keyed(
      String store, String partitionKey, String key, Forwarding request, Function<V, Reply> view) {
    KeyQueryMetadata owner;
    try {
      owner = streams.queryMetadataForKey(store, partitionKey, Serdes.String().serializer());
    } catch (IllegalStateException e) {
      throw unavailable();
    }
    if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
      throw unavailable();
    }
    if (!owner.activeHost().equals(self)) {
      if (request.forwarded()) {
        // The sender thought we own it; ownership is moving. Let the client retry.
        throw unavailable();
      }
      return forward(owner.activeHost(), request.pathAndQuery(), request.authorization());
    }
    try {
      ReadOnlyKeyValueStore<String, V> local =
          streams.store(
              StoreQueryParameters.fromNameAndType(
                      store, QueryableStoreTypes.<String, V>keyValueStore())
                  .withPartition(owner.partition()));
      return view.apply(local.get(key));
    } catch (InvalidStateStoreException e) {
      throw unavailable();
    }
  }

  /**
   * Devices by presence from every instance's stores: at most {@code limit} of those {@code
   * visible} to the caller, sorted by id. The other instances are asked with the caller's token and
   * filter by it too.
   */
  Reply devices(
      Boolean connected,
      int limit,
      String query,
      boolean localOnly,
      Predicate<String> visible,
      Forwarding request) {
    List<ObjectNode> found = new ArrayList<>(localDevices(connected, limit, visible));
    if (!localOnly) {
      for (HostInfo instance : otherActiveHosts(ShadowTopology.SHADOW_STORE)) {
        Reply answer =
            forward(instance, "/devices?" + query + "&local=true", request.authorization());
        if (answer.status() != 200) {
          // Rebalancing (503), or the token expired on the way (401): a partial list would lie.
          return answer;
        }
        JsonNode remote = Json.parseObject(answer.body());
        remote.path("devices").forEach(node -> found.add((ObjectNode) node));
      }
    }
    // The other instances filtered by the same token; checked again here, where it is cheap.
    found.removeIf(node -> !visible.test(node.path("deviceId").asText()));
    found.sort(Comparator.comparing(node -> node.path("deviceId").asText()));
    ObjectNode out = Json.object();
    ArrayNode devices = out.putArray("devices");
    found.stream().limit(limit).forEach(devices::add);
    out.put("count", devices.size());
    return Reply.ok(Json.write(out));
  }

  /**
   * The other instances with an active partition of the store: a standby or an instance with no
   * partition of it (two instances, one partition) has nothing to list and cannot be asked.
   */
  List<HostInfo> otherActiveHosts(String store) {
    return activeHosts(store).stream().filter(host -> !host.equals(self)).toList();
  }

  private List<HostInfo> activeHosts(String store) {
    return streams.streamsMetadataForStore(store).stream()
        .filter(instance -> instance.stateStoreNames().contains(store))
        .map(StreamsMetadata::hostInfo)
        .toList();
  }

  /**
   * This instance's active partitions of a store, all at once, or null when it has none (running,
   * with nothing of that store here: an empty part of a list, not "retry later").
   */
  <V> ReadOnlyKeyValueStore<String, V> localStore(String store) {
    if (streams.state() != KafkaStreams.State.RUNNING) {
      throw unavailable();
    }
    if (!activeHosts(store).contains(self)) {
      return null;
    }
    try {
      return streams.store(
          StoreQueryParameters.fromNameAndType(
              store, QueryableStoreTypes.<String, V>keyValueStore()));
    } catch (InvalidStateStoreException e) {
      throw unavailable();
    }
  }

  private List<ObjectNode> localDevices(Boolean connected, int limit, Predicate<String> visible) {
    List<ObjectNode> found = new ArrayList<>();
    ReadOnlyKeyValueStore<String, DeviceShadow> store = localStore(ShadowTopology.SHADOW_STORE);
    if (store == null) {
      return found;
    }
    try {
      // A cap, not a page: the first devices found on each instance, then sorted together.
      try (KeyValueIterator<String, DeviceShadow> all = store.all()) {
        while (all.hasNext() && found.size() < limit) {
          KeyValue<String, DeviceShadow> entry = all.next();
          boolean isConnected =
              entry.value.getPresence() != null && entry.value.getPresence().getConnected();
          if ((connected == null || connected == isConnected) && visible.test(entry.key)) {
            found.add(ShadowJson.presence(entry.key, entry.value.getPresence()));
          }
        }
      }
    } catch (InvalidStateStoreException e) {
      throw unavailable();
    }
    return found;
  }

  /** The answer of another instance to a GET, asked with the caller's token. */
  Reply forward(HostInfo host, String pathAndQuery, String authorization) {
    try {
      HttpResponse<String> response =
          http.send(get(host, pathAndQuery, authorization), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body());
    } catch (java.io.IOException e) {
      throw new ApiError(502, "The instance that owns the key cannot be reached: " + host);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiError(503, "Interrupted");
    }
  }

  /**
   * The answers of these instances to the same GET, asked at once (the slowest sets the time, not
   * their sum); null for an instance that could not be reached.
   */
  private List<Reply> forwardAll(List<HostInfo> hosts, String pathAndQuery, String authorization) {
    List<CompletableFuture<Reply>> asked =
        hosts.stream()
            .map(
                host ->
                    http.sendAsync(
                            get(host, pathAndQuery, authorization),
                            HttpResponse.BodyHandlers.ofString())
                        .handle(
                            (response, error) ->
                                error == null
                                    ? new Reply(response.statusCode(), response.body())
                                    : null))
            .toList();
    return asked.stream().map(CompletableFuture::join).toList();
  }

  private HttpRequest get(HostInfo host, String pathAndQuery, String authorization) {
    URI uri = URI.create(scheme + "://" + host.host() + ":" + host.port() + pathAndQuery);
    HttpRequest.Builder forwarded =
        HttpRequest.newBuilder(uri).timeout(timeout).header(FORWARDED_HEADER, "1").GET();
    if (authorization != null) {
      forwarded.header("Authorization", authorization);
    }
    return forwarded.build();
  }

  static ApiError unavailable() {
    return new ApiError(503, "The store is being restored or rebalanced; retry shortly");
  }
}
