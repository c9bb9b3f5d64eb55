package org.iotbackbone.servers.runtime.hivemq;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.client.parameter.ClientTlsInformation;
import com.hivemq.extension.sdk.api.client.parameter.Listener;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.auth.ModifiableDefaultPermissions;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * The embedded extension that applies {@link AccessRules} as Mosquitto applies its ACL and password
 * files: devices connect without credentials and get their own subtree; a client that gives a user
 * name must be the back-end user, with its password, and gets the back-end subtree too.
 *
 * <p>On a secure broker ({@link AccessRules#tls()}) devices prove their id with a certificate or a
 * per-device secret instead, and the back end with its certificate (see {@link #onSecureConnect}).
 *
 * <p>It hands HiveMQ per-connection default permissions, so HiveMQ enforces them its own way: a
 * publish outside them gets a PUBACK with NOT_AUTHORIZED and then a DISCONNECT (Mosquitto keeps the
 * client connected), a subscription outside them a SUBACK with NOT_AUTHORIZED (Mosquitto grants it
 * and delivers nothing it may not read).
 */
final class DeviceAccessExtension implements ExtensionMain, SimpleAuthenticator {

  private final AccessRules rules;
  private final Identities identities;

  private DeviceAccessExtension(AccessRules rules) {
    this.rules = rules;
    this.identities = rules.tls() ? new Identities(rules.crlFile(), rules.secretsFile()) : null;
  }

  static EmbeddedExtension embedded(AccessRules rules) {
    return EmbeddedExtension.builder()
        .withId("iotbackbone-device-access")
        .withName("IoT backbone device access")
        .withVersion("1")
        .withAuthor("iotbackbone")
        .withExtensionMain(new DeviceAccessExtension(rules))
        .build();
  }

  @Override
  public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
    // Stateless: one authenticator serves every connection.
    Services.securityRegistry().setAuthenticatorProvider(providerInput -> this);
  }

  @Override
  public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {}

  @Override
  public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
    if (!rules.acl()) {
      output.authenticateSuccessfully();
      return;
    }
    ConnectPacket connect = input.getConnectPacket();
    ModifiableDefaultPermissions permissions = output.getDefaultPermissions();
    permissions.setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
    if (rules.tls()) {
      onSecureConnect(input, output, permissions);
      return;
    }
    Optional<String> username = connect.getUserName();
    if (username.isPresent()) {
      if (!isBackend(username.get(), connect.getPassword())) {
        output.failAuthentication(
            ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "unknown user or wrong password");
        return;
      }
      permissions.add(allow(rules.backendFilter()));
    }
    String deviceFilter = rules.deviceFilter(connect.getClientId());
    if (deviceFilter != null) {
      permissions.add(allow(deviceFilter));
    }
    output.authenticateSuccessfully();
  }

  /**
   * A secure broker: the listener a client came in on says how it proves its id. On {@code tls} and
   * {@code wss} the handshake has checked the certificate's chain and validity; its CN is the id,
   * the revocation list is checked here. On {@code secret} the user name is the id and the password
   * its secret. A device must use its id as client id (refused otherwise, so it can never take over
   * another device's session) and gets its own subtree. On {@code backend} only the back end's
   * certificate gets anything, with any client id.
   */
  private void onSecureConnect(
      SimpleAuthInput input, SimpleAuthOutput output, ModifiableDefaultPermissions permissions) {
    ConnectPacket connect = input.getConnectPacket();
    String listener =
        input.getConnectionInformation().getListener().map(Listener::getName).orElse("");
    String id;
    if (listener.equals("secret")) {
      Optional<String> username = connect.getUserName();
      if (username.isEmpty()
          || connect.getPassword().isEmpty()
          || !identities.secretMatches(username.get(), utf8(connect.getPassword().get()))) {
        output.failAuthentication(
            ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "unknown device or wrong secret");
        return;
      }
      id = username.get();
    } else {
      Optional<X509Certificate> certificate =
          input
              .getConnectionInformation()
              .getClientTlsInformation()
              .flatMap(ClientTlsInformation::getClientCertificate);
      if (certificate.isEmpty()) {
        output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "no client certificate");
        return;
      }
      String refusal = identities.refusal(certificate.get());
      if (refusal != null) {
        output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, refusal);
        return;
      }
      id = commonName(certificate.get());
    }
    if (listener.equals("backend")) {
      if (!rules.backendIdentity().equals(id)) {
        output.failAuthentication(
            ConnackReasonCode.NOT_AUTHORIZED, "the back-end listener is for the back end only");
        return;
      }
      rules
          .backendSubscribeFilters()
          .forEach(f -> permissions.add(allow(f, TopicPermission.MqttActivity.SUBSCRIBE)));
      rules
          .backendPublishFilters()
          .forEach(f -> permissions.add(allow(f, TopicPermission.MqttActivity.PUBLISH)));
      output.authenticateSuccessfully();
      return;
    }
    String deviceFilter = id == null ? null : rules.deviceFilter(id);
    if (deviceFilter == null || id.equals(rules.backendIdentity())) {
      output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "not a device id: " + id);
      return;
    }
    if (!connect.getClientId().equals(id)) {
      output.failAuthentication(
          ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
          "the client id must be the device id '" + id + "'");
      return;
    }
    permissions.add(allow(deviceFilter));
    output.authenticateSuccessfully();
  }

  /** The subject's CN, or null when it has none. */
  private static String commonName(X509Certificate certificate) {
    try {
      for (Rdn rdn :
          new LdapName(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253))
              .getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return rdn.getValue().toString();
        }
      }
      return null;
    } catch (InvalidNameException e) {
      return null;
    }
  }

  private static String utf8(ByteBuffer buffer) {
    ByteBuffer copy = buffer.asReadOnlyBuffer();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private boolean isBackend(String username, Optional<ByteBuffer> password) {
    if (!username.equals(rules.backendUsername()) || password.isEmpty()) {
      return false;
    }
    ByteBuffer given = password.get().asReadOnlyBuffer();
    byte[] bytes = new byte[given.remaining()];
    given.get(bytes);
    return MessageDigest.isEqual(bytes, rules.backendPassword().getBytes(StandardCharsets.UTF_8));
  }

  /** Publish and subscribe, shared subscriptions included, in one subtree. */
  private static TopicPermission allow(String filter) {
    return allow(filter, TopicPermission.MqttActivity.ALL);
  }

  private static TopicPermission allow(String filter, TopicPermission.MqttActivity activity) {
    return Builders.topicPermission()
        .topicFilter(filter)
        .type(TopicPermission.PermissionType.ALLOW)
        .activity(activity)
        .sharedSubscription(TopicPermission.SharedSubscription.ALL)
        .build();
  }
}
