package org.minewatch.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's certificate and key for HTTPS, read from PEM files as most tools write them: a
 * certificate chain (the server's certificate first) and an unencrypted private key, RSA or EC, in
 * PKCS#8 ({@code BEGIN PRIVATE KEY}) or, for RSA, PKCS#1 ({@code BEGIN RSA PRIVATE KEY}). Any other
 * key is refused with the {@code openssl} command that converts it. Problems are {@link
 * IllegalArgumentException}s whose message names the file and what is wrong, on one line.
 */
public final class Tls {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
  private static final String CONVERT =
      "convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem";

  private final KeyStore keyStore;
  private final String password;
  private final X509Certificate certificate;

  private Tls(KeyStore keyStore, String password, X509Certificate certificate) {
    this.keyStore = keyStore;
    this.password = password;
    this.certificate = certificate;
  }

  /** Reads and checks the pair: the key must be the one the first certificate names. */
  public static Tls load(Path certFile, Path keyFile) {
    List<X509Certificate> chain = certificates(certFile);
    PrivateKey key = privateKey(keyFile, chain.get(0).getPublicKey().getAlgorithm());
    if (!matches(key, chain.get(0).getPublicKey())) {
      throw new IllegalArgumentException(
          keyFile + ": this private key does not belong to the certificate in " + certFile);
    }
    try {
      byte[] r = new byte[18];
      new SecureRandom().nextBytes(r);
      String password = Base64.getEncoder().encodeToString(r);
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("minewatch", key, password.toCharArray(), chain.toArray(new Certificate[0]));
      return new Tls(ks, password, chain.get(0));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          keyFile + ": the key and certificate cannot be used together: " + e.getMessage(), e);
    }
  }

  /** An in-memory key store holding the key and the chain, for Jetty's SslContextFactory. */
  public KeyStore keyStore() {
    return keyStore;
  }

  public String password() {
    return password;
  }

  /** The server's own certificate (first of the chain). */
  public X509Certificate certificate() {
    return certificate;
  }

  private static String read(Path file, String what) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": no such file (the " + what + ")");
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be read: " + oneLine(e.getMessage()));
    }
    if (bytes.length > 0 && bytes[0] == 0x30) {
      throw new IllegalArgumentException(
          file
              + ": binary (DER) content; the "
              + what
              + " must be PEM text: "
              + (what.equals("certificate")
                  ? "openssl x509 -inform der -in FILE -out cert.pem"
                  : "openssl pkcs8 -topk8 -nocrypt -inform der -in FILE -out key.pem"));
    }
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  static List<X509Certificate> certificates(Path file) {
    String text = read(file, "certificate");
    List<X509Certificate> chain = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    CertificateFactory cf;
    try {
      cf = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("the JDK lacks X.509 certificates", e);
    }
    boolean key = false;
    while (m.find()) {
      if (!m.group(1).equals("CERTIFICATE")) {
        key |= m.group(1).contains("PRIVATE KEY");
        continue;
      }
      try {
        chain.add(
            (X509Certificate)
                cf.generateCertificate(new ByteArrayInputStream(base64(file, m.group(2)))));
      } catch (CertificateException e) {
        throw new IllegalArgumentException(
            file
                + ": certificate "
                + (chain.size() + 1)
                + " is not a valid X.509 certificate: "
                + oneLine(e.getMessage()));
      }
    }
    if (chain.isEmpty() && key) {
      throw new IllegalArgumentException(
          file
              + ": holds a private key where the certificate was expected "
              + "(--tls-cert takes the certificate, --tls-key the key)");
    }
    if (chain.isEmpty()) {
      throw new IllegalArgumentException(
          file
              + ": no PEM certificate in it (a block starting "
              + "-----BEGIN CERTIFICATE----- was expected)");
    }
    return chain;
  }

  static PrivateKey privateKey(Path file, String certificateAlgorithm) {
    String text = read(file, "private key");
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      switch (type) {
        case "PRIVATE KEY" -> {
          return pkcs8(file, base64(file, m.group(2)), certificateAlgorithm);
        }
        case "RSA PRIVATE KEY" -> {
          if (m.group(2).contains("ENCRYPTED")) {
            throw new IllegalArgumentException(
                file + ": the RSA key is encrypted; the server needs it unencrypted: " + CONVERT);
          }
          return pkcs8(file, rsaPkcs1ToPkcs8(base64(file, m.group(2))), "RSA");
        }
        case "ENCRYPTED PRIVATE KEY" ->
            throw new IllegalArgumentException(
                file + ": the key is encrypted; the server needs it unencrypted: " + CONVERT);
        case "EC PRIVATE KEY" ->
            throw new IllegalArgumentException(
                file
                    + ": an EC key in the SEC1 format (BEGIN EC PRIVATE KEY); the server reads PKCS#8: "
                    + CONVERT);
        case "CERTIFICATE" -> {
          // A combined file (certificate and key): skip to the key.
        }
        default ->
            throw new IllegalArgumentException(
                file
                    + ": a "
                    + type
                    + " block where an unencrypted private "
                    + "key was expected (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY); "
                    + CONVERT);
      }
    }
    throw new IllegalArgumentException(
        file
            + ": no PEM private key in it (a block starting "
            + "-----BEGIN PRIVATE KEY----- was expected)");
  }

  private static PrivateKey pkcs8(Path file, byte[] der, String algorithm) {
    if (!algorithm.equals("RSA") && !algorithm.equals("EC")) {
      throw new IllegalArgumentException(
          file + ": the certificate's key is " + algorithm + "; RSA or EC keys are " + "supported");
    }
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      String other = algorithm.equals("RSA") ? "EC" : "RSA";
      try {
        KeyFactory.getInstance(other).generatePrivate(new PKCS8EncodedKeySpec(der));
        throw new IllegalArgumentException(
            file
                + ": an "
                + other
                + " key, but the certificate holds an "
                + algorithm
                + " key: this private key does not belong to the certificate");
      } catch (GeneralSecurityException again) {
        throw new IllegalArgumentException(
            file
                + ": not a valid unencrypted PKCS#8 "
                + algorithm
                + " private key: "
                + oneLine(e.getMessage()));
      }
    }
  }

  /**
   * PKCS#1 RSAPrivateKey wrapped as a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, the key).
   */
  static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
    byte[] version = {0x02, 0x01, 0x00};
    byte[] algorithm = {
      0x30,
      0x0d,
      0x06,
      0x09,
      0x2a,
      (byte) 0x86,
      0x48,
      (byte) 0x86,
      (byte) 0xf7,
      0x0d,
      0x01,
      0x01,
      0x01,
      0x05,
      0x00
    };
    byte[] octets = der(0x04, pkcs1);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(version);
    body.writeBytes(algorithm);
    body.writeBytes(octets);
    return der(0x30, body.toByteArray());
  }

  private static byte[] der(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(n >>> (8 * i));
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] base64(Path file, String body) {
    if (body.contains("Proc-Type:")) {
      throw new IllegalArgumentException(
          file + ": the key is encrypted; the server needs it unencrypted: " + CONVERT);
    }
    try {
      return Base64.getMimeDecoder().decode(body.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": a PEM block that is not valid base64");
    }
  }

  /** True when {@code key} signs what {@code pub} verifies. */
  private static boolean matches(PrivateKey key, PublicKey pub) {
    String alg = pub.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    try {
      byte[] probe = "minewatch tls key check".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(pub);
      v.update(probe);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").strip();
  }
}
