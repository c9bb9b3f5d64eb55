package org.iotbackbone.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A key pair with a self-signed certificate for 127.0.0.1 and localhost, for the TLS of the test
 * servers the project starts (the registry's front, the REST listeners of the streams app's tests),
 * and the files a client trusts it with. The key is made by the JDK's {@code keytool}: no hand-made
 * ASN.1, and nothing beyond the JDK.
 */
public final class SelfSignedCertificate {

  private SelfSignedCertificate() {}

  /**
   * Writes a PKCS12 key store holding an EC P-256 key and its certificate (CN=localhost, subject
   * alternative names 127.0.0.1 and localhost, valid 2 days) under {@code alias}.
   */
  public static Path keyStore(Path file, String alias, String password)
      throws IOException, InterruptedException {
    Files.deleteIfExists(file);
    keytool(
        "-genkeypair",
        "-alias",
        alias,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-validity",
        "2",
        "-keystore",
        file.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        password);
    return file;
  }

  /** Writes the certificate of {@code alias} in the key store as PEM: a trust store of type PEM. */
  public static Path pem(Path keyStore, String alias, String password, Path file)
      throws IOException, InterruptedException {
    Files.deleteIfExists(file);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        alias,
        "-keystore",
        keyStore.toString(),
        "-storepass",
        password,
        "-file",
        file.toString());
    return file;
  }

  /**
   * Writes a PKCS12 trust store holding only the certificate of {@code alias} in the key store, as
   * an operator makes one; its password is the key store's.
   */
  public static Path trustStore(Path keyStore, String alias, String password, Path file)
      throws IOException, GeneralSecurityException {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      keys.load(in, password.toCharArray());
    }
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry(alias, keys.getCertificate(alias));
    try (OutputStream out = Files.newOutputStream(file)) {
      trust.store(out, password.toCharArray());
    }
    return file;
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new ArrayList<>(List.of(keytool.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("keytool " + args[0] + " failed: " + output);
    }
  }
}
