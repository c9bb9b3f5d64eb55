package org.iotbackbone.pki.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Signs certificates and CRLs with a CA's key: BouncyCastle builds the ASN.1 and signs
 * (SHA256withECDSA, its provider unregistered: {@link KeyPairs}); the results are the JDK's own
 * {@link X509Certificate} and {@link X509CRL}. Thread-safe: every call builds its own signer.
 */
public final class Issuer {

  public static final String SIGNATURE = "SHA256withECDSA";

  private static final ThreadLocal<SecureRandom> SERIALS =
      ThreadLocal.withInitial(
          () -> {
            try {
              return SecureRandom.getInstance("DRBG");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException(e);
            }
          });

  private final X509Certificate certificate;
  private final PrivateKey key;
  private final X500Name name;
  private final byte[] authorityKeyId;

  public Issuer(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = KeyPairs.own(key);
    this.name = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    this.authorityKeyId = keyId(certificate.getPublicKey());
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * What a certificate says besides its key: subject, validity, and what it may be used for ({@code
   * keyUsage} bits of {@link KeyUsage}; {@code purpose} null for none; {@code altNames} null for
   * none).
   */
  public record Template(
      X500Name subject,
      Instant notBefore,
      Instant notAfter,
      boolean ca,
      int keyUsage,
      KeyPurposeId purpose,
      GeneralNames altNames) {}

  /** A self-signed CA certificate (basicConstraints CA:true, pathlen 0) for {@code keys}. */
  public static X509Certificate selfSigned(KeyPair keys, X500Name name, Instant from, Instant to) {
    Template template =
        new Template(name, from, to, true, KeyUsage.keyCertSign | KeyUsage.cRLSign, null, null);
    return sign(template, keys.getPublic(), name, keyId(keys.getPublic()), keys.getPrivate());
  }

  /** A certificate for {@code subjectKey} signed by this CA. */
  public X509Certificate issue(Template template, PublicKey subjectKey) {
    return sign(template, subjectKey, name, authorityKeyId, key);
  }

  /**
   * A v2 CRL listing {@code revoked} (serial -> when), valid from {@code now} for {@code life},
   * with CRL number {@code number} and this CA's authority key identifier. Revocations carry no
   * reason code: RFC 5280 wants "unspecified" absent.
   */
  public X509CRL crl(
      Map<BigInteger, Instant> revoked, BigInteger number, Instant now, Duration life) {
    X509v2CRLBuilder builder = new X509v2CRLBuilder(name, date(now));
    builder.setNextUpdate(date(now.plus(life)));
    revoked.forEach((serial, at) -> builder.addCRLEntry(serial, date(at), 0));
    try {
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(authorityKeyId));
      builder.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
      X509CRLHolder holder = builder.build(signer(key));
      return new JcaX509CRLConverter().getCRL(holder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (CRLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The CRL number of {@code crl}, 0 when it has none. */
  public static BigInteger crlNumber(X509CRL crl) {
    byte[] value = crl.getExtensionValue(Extension.cRLNumber.getId());
    if (value == null) {
      return BigInteger.ZERO;
    }
    // The extension value is an OCTET STRING wrapping the INTEGER.
    byte[] inner = org.bouncycastle.asn1.ASN1OctetString.getInstance(value).getOctets();
    return ASN1Integer.getInstance(inner).getValue();
  }

  /** True when {@code key} is the private half of {@code certificate}'s public key. */
  public static boolean matches(X509Certificate certificate, PrivateKey key) {
    try {
      byte[] probe = "device-pki key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(SIGNATURE, KeyPairs.PROVIDER);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(SIGNATURE);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** A random positive serial of 128 bits (RFC 5280 allows up to 20 octets). */
  public static BigInteger serial() {
    BigInteger serial;
    do {
      serial = new BigInteger(128, SERIALS.get());
    } while (serial.signum() == 0);
    return serial;
  }

  private static X509Certificate sign(
      Template template,
      PublicKey subjectKey,
      X500Name issuer,
      byte[] authorityKeyId,
      PrivateKey signingKey) {
    X509v3CertificateBuilder builder =
        new X509v3CertificateBuilder(
            issuer,
            serial(),
            date(template.notBefore()),
            date(template.notAfter()),
            template.subject(),
            SubjectPublicKeyInfo.getInstance(subjectKey.getEncoded()));
    try {
      builder.addExtension(
          Extension.basicConstraints,
          true,
          template.ca() ? new BasicConstraints(0) : new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(template.keyUsage()));
      if (template.purpose() != null) {
        builder.addExtension(
            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(template.purpose()));
      }
      if (template.altNames() != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, template.altNames());
      }
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyId(subjectKey)));
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(authorityKeyId));
      X509CertificateHolder holder = builder.build(signer(signingKey));
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (CertificateException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ContentSigner signer(PrivateKey key) {
    try {
      return new JcaContentSignerBuilder(SIGNATURE).setProvider(KeyPairs.PROVIDER).build(key);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign with " + SIGNATURE, e);
    }
  }

  /** RFC 5280's method 1: the SHA-1 of the subjectPublicKey bits. */
  private static byte[] keyId(PublicKey key) {
    try {
      byte[] bits =
          SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes();
      return MessageDigest.getInstance("SHA-1").digest(bits);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Certificates carry whole seconds. */
  private static Date date(Instant instant) {
    return Date.from(instant.truncatedTo(ChronoUnit.SECONDS));
  }
}
