package org.iotbackbone.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.OptionalInt;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.iotbackbone.schemas.config.KeyStores;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.topics.TopicDefinition;

/**
 * A client of a schema registry's Confluent REST API: the part the platform uses to register its
 * schemas with a compatibility level, and that analysts' Confluent clients use to read them.
 *
 * <p>Written here rather than taken from a library because Confluent's client is not on Maven
 * Central, and Apicurio's speaks its own API; these few calls are all we need of it.
 */
public final class ConfluentRegistryClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private final URI baseUrl;
  private final HttpClient http;
  private final String authorization;

  /**
   * @param baseUrl the Confluent API's base address, such as {@code
   *     http://127.0.0.1:8080/apis/ccompat/v7} for Apicurio
   */
  public ConfluentRegistryClient(String baseUrl) {
    this(RegistryConfig.of(baseUrl));
  }

  /**
   * A client of the registry at {@link RegistryConfig#url()}, which must be its Confluent API, with
   * the config's credentials and trust store.
   */
  public ConfluentRegistryClient(RegistryConfig registry) {
    String base = registry.url();
    this.baseUrl = URI.create(base.endsWith("/") ? base : base + "/");
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    if (registry.trustStore() != null) {
      builder.sslContext(sslContext(registry.trustStore()));
    }
    this.http = builder.build();
    this.authorization =
        registry.basicAuthUserInfo() == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString(registry.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Registers the value schema of every topic under its subject, with the compatibility level set
   * first so that a change that breaks existing readers is refused.
   */
  public void registerAll(Iterable<TopicDefinition<?>> topics, Compatibility level) {
    for (TopicDefinition<?> topic : topics) {
      setCompatibility(topic.valueSubject(), level);
      register(topic.valueSubject(), topic.valueSchema());
    }
  }

  /**
   * Registers a schema under a subject and returns its id, the one a Confluent-framed record
   * carries. Registering a schema the subject already has returns the existing id.
   *
   * @throws IncompatibleSchemaException when the subject's compatibility level refuses it
   */
  public int register(String subject, Schema schema) {
    ObjectNode body = JSON.createObjectNode();
    body.put("schema", schema.toString());
    body.put("schemaType", "AVRO");
    JsonNode answer = send("POST", "subjects/" + encode(subject) + "/versions", body, subject);
    return answer.path("id").asInt();
  }

  /** The schema with that id. */
  public Schema schemaById(int id) {
    JsonNode answer = send("GET", "schemas/ids/" + id, null, "schema id " + id);
    return new Schema.Parser().parse(answer.path("schema").asText());
  }

  /** Sets the compatibility level of a subject. */
  public void setCompatibility(String subject, Compatibility level) {
    ObjectNode body = JSON.createObjectNode();
    body.put("compatibility", level.name());
    send("PUT", "config/" + encode(subject), body, subject);
  }

  /**
   * Whether the subject already has this schema as one of its versions (the Confluent API's lookup,
   * {@code POST /subjects/{subject}}); false when the subject or the schema is not there.
   */
  public boolean isRegistered(String subject, Schema schema) {
    return idOf(subject, schema).isPresent();
  }

  /**
   * The id of this schema among the subject's versions (the Confluent API's lookup, {@code POST
   * /subjects/{subject}}), without registering it; empty when the subject or the schema is not
   * there.
   */
  public OptionalInt idOf(String subject, Schema schema) {
    ObjectNode body = JSON.createObjectNode();
    body.put("schema", schema.toString());
    body.put("schemaType", "AVRO");
    try {
      return OptionalInt.of(
          send("POST", "subjects/" + encode(subject), body, subject).path("id").asInt());
    } catch (RegistryException e) {
      if (e.status() == 404) {
        return OptionalInt.empty();
      }
      throw e;
    }
  }

  /** Whether the subject's compatibility level would accept the schema as its next version. */
  public boolean isCompatible(String subject, Schema schema) {
    ObjectNode body = JSON.createObjectNode();
    body.put("schema", schema.toString());
    body.put("schemaType", "AVRO");
    JsonNode answer =
        send(
            "POST",
            "compatibility/subjects/" + encode(subject) + "/versions/latest",
            body,
            subject);
    return answer.path("is_compatible").asBoolean(false);
  }

  private JsonNode send(String method, String path, JsonNode body, String about) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(baseUrl.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Accept", CONTENT_TYPE);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (body != null) {
      request.header("Content-Type", CONTENT_TYPE);
      request.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 409) {
        throw new IncompatibleSchemaException(about, response.body());
      }
      if (response.statusCode() / 100 != 2) {
        throw new RegistryException(
            method
                + " "
                + path
                + " ("
                + about
                + ") answered "
                + response.statusCode()
                + ": "
                + response.body(),
            response.statusCode());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + baseUrl.resolve(path) + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("interrupted: " + method + " " + path);
    }
  }

  /**
   * A context trusting what the store holds (and only that).
   *
   * @throws IllegalArgumentException naming the file when it cannot be read as its type
   */
  private static SSLContext sslContext(RegistryConfig.TrustStore store) {
    try {
      return KeyStores.trusting(
          KeyStores.load(
              store.location(),
              store.password() == null ? null : store.password().toCharArray(),
              store.type()));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read the registry trust store " + store.location() + ": " + e.getMessage(), e);
    }
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8);
  }
}
