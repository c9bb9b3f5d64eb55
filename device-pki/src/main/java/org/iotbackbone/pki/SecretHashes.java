package org.iotbackbone.pki;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;
import org.iotbackbone.pki.internal.SecretsFile;

/**
 * Per-device secrets as Mosquitto stores them (its password file, {@code mosquitto_passwd}'s {@code
 * $7$} format): PBKDF2-HMAC-SHA512 over the UTF-8 secret with a random 12-byte salt, 101 iterations
 * (mosquitto_passwd's default) and a 64-byte result, written {@code $7$101$<base64 salt>$<base64
 * hash>}. Mosquitto checks these itself; the HiveMQ extension checks them with {@link #verify}.
 */
public final class SecretHashes {

  /** mosquitto_passwd's default iteration count. */
  public static final int ITERATIONS = 101;

  private static final int SALT_BYTES = 12;
  private static final int HASH_BYTES = 64;
  // A hash from a file is trusted, but a typo must not make a connect spin for minutes.
  private static final int MAX_ITERATIONS = 10_000_000;

  private SecretHashes() {}

  /** {@code secret}'s hash with a new salt from {@code random}. */
  public static String hash(String secret, SecureRandom random) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    Base64.Encoder base64 = Base64.getEncoder();
    return "$7$"
        + ITERATIONS
        + "$"
        + base64.encodeToString(salt)
        + "$"
        + base64.encodeToString(pbkdf2(secret, salt, ITERATIONS));
  }

  /**
   * True when {@code secret} is the one {@code hash} was made from; compared in constant time.
   * False, never an exception, for a malformed hash.
   */
  public static boolean verify(String secret, String hash) {
    if (secret == null || hash == null) {
      return false;
    }
    String[] parts = hash.split("\\$", -1);
    if (parts.length != 5 || !parts[0].isEmpty() || !parts[1].equals("7")) {
      return false;
    }
    try {
      int iterations = Integer.parseInt(parts[2]);
      byte[] salt = Base64.getDecoder().decode(parts[3]);
      byte[] expected = Base64.getDecoder().decode(parts[4]);
      if (iterations < 1
          || iterations > MAX_ITERATIONS
          || salt.length == 0
          || expected.length != HASH_BYTES) {
        return false;
      }
      return MessageDigest.isEqual(pbkdf2(secret, salt, iterations), expected);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The secrets file: id -> hash. */
  public static Map<String, String> read(Path secretsFile) {
    return SecretsFile.read(secretsFile);
  }

  private static byte[] pbkdf2(String secret, byte[] salt, int iterations) {
    // BouncyCastle's PBKDF2 over bytes: the JDK's needs a char[] and refuses an empty one.
    PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(new SHA512Digest());
    generator.init(secret.getBytes(StandardCharsets.UTF_8), salt, iterations);
    return ((KeyParameter) generator.generateDerivedParameters(HASH_BYTES * 8)).getKey();
  }
}
