package org.iotbackbone.simulator.internal;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * One device's key and certificate chain, presented when the broker asks for a client certificate
 * of the key's algorithm ({@code EC} for the device CA's P-256 keys).
 *
 * <p>Why not the JDK's key manager over a {@code PKCS12} key store: storing the key in the store
 * encrypts it (PBKDF2, 10,000 iterations) and the key manager decrypts it again, about 5 ms of CPU
 * per device, which bounded the secure ramp (docs/benchmarks.md, "Held idle devices"); and the
 * device has exactly one key, so there is nothing to choose.
 */
final class DeviceKeyManager extends X509ExtendedKeyManager {

  /** The one alias: a device presents one certificate. */
  static final String ALIAS = "device";

  private final PrivateKey key;
  private final X509Certificate[] chain;

  /**
   * @param chain the device's certificate first, then its issuers
   * @throws IllegalArgumentException when the chain is empty
   */
  DeviceKeyManager(PrivateKey key, List<X509Certificate> chain) {
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a device's certificate chain is empty");
    }
    this.key = key;
    this.chain = chain.toArray(new X509Certificate[0]);
  }

  /**
   * Whether this key serves a handshake's key type: the key's algorithm ({@code EC}, {@code RSA}),
   * or in TLS 1.2's form {@code EC_EC}, the key's algorithm then its signer's.
   */
  private boolean serves(String keyType) {
    if (keyType == null) {
      return false;
    }
    int underscore = keyType.indexOf('_');
    return key.getAlgorithm().equals(underscore < 0 ? keyType : keyType.substring(0, underscore));
  }

  private String choose(String[] keyTypes) {
    if (keyTypes != null) {
      for (String keyType : keyTypes) {
        if (serves(keyType)) {
          return ALIAS;
        }
      }
    }
    return null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return serves(keyType) ? new String[] {ALIAS} : null;
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return choose(keyTypes);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return choose(keyTypes);
  }

  /** A device is never a server. */
  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }
}
