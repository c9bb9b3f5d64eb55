package org.iotbackbone.servers.runtime.hivemq;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
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
import java.util.Optional;

/**
 * The embedded extension that applies {@link AccessRules} as Mosquitto applies its ACL and password
 * files: devices connect without credentials and get their own subtree; a client that gives a user
 * name must be the back-end user, with its password, and gets the back-end subtree too.
 *
 * <p>It hands HiveMQ per-connection default permissions, so HiveMQ enforces them its own way: a
 * publish outside them gets a PUBACK with NOT_AUTHORIZED and then a DISCONNECT (Mosquitto keeps the
 * client connected), a subscription outside them a SUBACK with NOT_AUTHORIZED (Mosquitto grants it
 * and delivers nothing it may not read).
 */
final class DeviceAccessExtension implements ExtensionMain, SimpleAuthenticator {

  private final AccessRules rules;

  private DeviceAccessExtension(AccessRules rules) {
    this.rules = rules;
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
    return Builders.topicPermission()
        .topicFilter(filter)
        .type(TopicPermission.PermissionType.ALLOW)
        .activity(TopicPermission.MqttActivity.ALL)
        .sharedSubscription(TopicPermission.SharedSubscription.ALL)
        .build();
  }
}
