package org.iotbackbone.pki.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.cert.X509CRL;
import java.util.List;

/**
 * The CRL file, parsed once per version of it: a broker checking every connect against it must not
 * parse a list of 100,000 serials each time. A version is the file's identity (an atomic rename
 * makes a new inode), modification time and size. Thread-safe.
 */
public final class CrlCache {

  private record Parsed(List<Object> version, X509CRL crl) {}

  private final Path file;
  private volatile Parsed parsed;

  public CrlCache(Path file) {
    this.file = file;
  }

  /** The file's CRL as it is now. */
  public X509CRL current() {
    List<Object> version = version();
    Parsed seen = parsed;
    if (seen != null && seen.version().equals(version)) {
      return seen.crl();
    }
    X509CRL crl = PemCodec.readCrl(file);
    parsed = new Parsed(version, crl);
    return crl;
  }

  private List<Object> version() {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      Object key = attributes.fileKey();
      return List.of(key == null ? "" : key, attributes.lastModifiedTime(), attributes.size());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
