package org.iotbackbone.pki.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * PEM in and out. Written by hand (a header, 64-column base64, a footer: what OpenSSL writes); read
 * with the JDK's {@link CertificateFactory} for certificates and CRLs and BouncyCastle's {@link
 * PEMParser} for keys (PKCS#8 and OpenSSL's traditional forms). A file that holds something else is
 * an {@link IllegalArgumentException} naming it.
 */
public final class PemCodec {

  private static final Base64.Encoder BASE64 =
      Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  private PemCodec() {}

  /** {@code der} as a PEM block of {@code type} ("CERTIFICATE", "PRIVATE KEY", "X509 CRL"). */
  public static String encode(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + BASE64.encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  public static String certificate(X509Certificate certificate) {
    try {
      return encode("CERTIFICATE", certificate.getEncoded());
    } catch (CertificateException e) {
      throw new IllegalStateException(e);
    }
  }

  /** PKCS#8, as OpenSSL 1.0+ writes keys. */
  public static String privateKey(PrivateKey key) {
    if (!"PKCS#8".equals(key.getFormat())) {
      throw new IllegalArgumentException("not a PKCS#8 key: " + key.getFormat());
    }
    return encode("PRIVATE KEY", key.getEncoded());
  }

  public static String crl(X509CRL crl) {
    try {
      return encode("X509 CRL", crl.getEncoded());
    } catch (CRLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every certificate in {@code file}; at least one. */
  public static List<X509Certificate> readCertificates(Path file) {
    byte[] bytes = read(file);
    try (InputStream in = new ByteArrayInputStream(bytes)) {
      List<X509Certificate> certificates = new ArrayList<>();
      for (Certificate certificate : factory().generateCertificates(in)) {
        certificates.add((X509Certificate) certificate);
      }
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException(file + ": no PEM certificate in it");
      }
      return certificates;
    } catch (CertificateException | IOException e) {
      throw new IllegalArgumentException(file + ": not a PEM certificate (" + e + ")", e);
    }
  }

  public static X509CRL readCrl(Path file) {
    byte[] bytes = read(file);
    try (InputStream in = new ByteArrayInputStream(bytes)) {
      X509CRL crl = (X509CRL) factory().generateCRL(in);
      if (crl == null) {
        throw new IllegalArgumentException(file + ": no CRL in it");
      }
      return crl;
    } catch (CRLException | IOException e) {
      throw new IllegalArgumentException(file + ": not a PEM CRL (" + e + ")", e);
    }
  }

  public static PrivateKey readPrivateKey(Path file) {
    byte[] bytes = read(file);
    try (Reader reader =
            new java.io.InputStreamReader(
                new ByteArrayInputStream(bytes), StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      Object object = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (object instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (object instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
      throw new IllegalArgumentException(
          file
              + ": no unencrypted private key in it (found "
              + (object == null ? "nothing" : object.getClass().getSimpleName())
              + ")");
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": not a PEM private key (" + e + ")", e);
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static CertificateFactory factory() {
    try {
      return CertificateFactory.getInstance("X.509");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
