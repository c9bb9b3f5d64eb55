package org.iotbackbone.pki.internal;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/**
 * ECDSA P-256 key pairs from the JDK's provider, one generator per thread (they are not shared).
 */
public final class KeyPairs {

  // A DRBG per thread: the default NativePRNG serializes every thread on one lock, which is what
  // bulk issuing on several cores would wait on.
  private static final ThreadLocal<KeyPairGenerator> GENERATOR =
      ThreadLocal.withInitial(
          () -> {
            try {
              KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
              generator.initialize(
                  new ECGenParameterSpec("secp256r1"), SecureRandom.getInstance("DRBG"));
              return generator;
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("no ECDSA P-256 in this JDK", e);
            }
          });

  private KeyPairs() {}

  /** A new P-256 key pair. */
  public static KeyPair p256() {
    return GENERATOR.get().generateKeyPair();
  }
}
