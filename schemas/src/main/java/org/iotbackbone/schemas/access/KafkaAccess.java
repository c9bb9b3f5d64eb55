package org.iotbackbone.schemas.access;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;

/**
 * Puts the principals on a Kafka cluster that has no operator doing it (the local stack, tests):
 * each principal's SCRAM-SHA-512 credentials and its ACLs, through the admin API of a super user.
 * On Kubernetes the Strimzi User Operator does the same from the generated {@code KafkaUser}s.
 */
public final class KafkaAccess {

  /** Kafka's default and minimum is 4096; 8192 is what Strimzi's User Operator uses. */
  private static final int ITERATIONS = 8192;

  private static final SecureRandom RANDOM = new SecureRandom();

  private KafkaAccess() {}

  /** A new random password: 32 hex digits (128 bits). */
  public static String newPassword() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * Creates or updates the credentials of every principal that is not a super user (a super user's
   * come with the cluster) and adds their ACLs, then waits until the broker applies both: a client
   * that authenticates right after this returns is let in.
   *
   * @param passwords by principal name; every principal that is not a super user needs one
   * @throws IllegalArgumentException naming a principal without a password
   * @throws IllegalStateException when the broker refuses, or does not apply them in {@code
   *     timeout}
   */
  public static void apply(
      Admin admin, List<Principal> principals, Map<String, String> passwords, Duration timeout) {
    List<UserScramCredentialAlteration> credentials = new ArrayList<>();
    List<AclBinding> acls = new ArrayList<>();
    Set<String> users = new HashSet<>();
    for (Principal principal : principals) {
      if (principal.superUser()) {
        continue;
      }
      String password = passwords.get(principal.name());
      if (password == null || password.isEmpty()) {
        throw new IllegalArgumentException("no password for principal " + principal.name());
      }
      credentials.add(
          new UserScramCredentialUpsertion(
              principal.name(),
              new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS),
              password));
      users.add(principal.name());
      acls.addAll(principal.aclBindings());
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      admin.alterUserScramCredentials(credentials).all().get(timeout.toMillis(), MILLISECONDS);
      admin.createAcls(acls).all().get(timeout.toMillis(), MILLISECONDS);
      // The admin call returns when the controller committed the change; the broker that clients
      // talk to applies it from its metadata log a moment later.
      while (!applied(admin, users, acls)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the broker did not apply the principals' credentials and ACLs in " + timeout);
        }
        Thread.sleep(100);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("putting the principals on Kafka failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static boolean applied(Admin admin, Set<String> users, List<AclBinding> acls)
      throws ExecutionException, InterruptedException {
    Set<String> known = new HashSet<>(admin.describeUserScramCredentials().users().get());
    if (!known.containsAll(users)) {
      return false;
    }
    return admin.describeAcls(AclBindingFilter.ANY).values().get().containsAll(acls);
  }

  private static final TimeUnit MILLISECONDS = TimeUnit.MILLISECONDS;
}
