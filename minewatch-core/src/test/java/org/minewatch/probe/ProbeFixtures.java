package org.minewatch.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Assumptions;
import org.minewatch.model.Endpoint;
import org.minewatch.model.IpAddress;
import org.minewatch.testkit.Openssl;
import org.minewatch.testkit.pools.PemTls;

/** What the probe tests share: a prober for loopback with short timeouts, and TLS material. */
final class ProbeFixtures {
  static final Duration CONNECT = Duration.ofSeconds(2);
  static final Duration REPLY = Duration.ofSeconds(1);

  private ProbeFixtures() {}

  static Prober loopbackProber() {
    return loopbackProber(Clock.systemUTC());
  }

  /**
   * With this clock: a pool's job is judged at its time, and a chain's difficulty band depends on
   * the year.
   */
  static Prober loopbackProber(Clock clock) {
    return new Prober(
        AllowList.parse(List.of("127.0.0.0/8")),
        new ProbeRateLimit(Duration.ZERO),
        ProbeMemory.inMemory(ProbeMemory.DEFAULT_INTERVAL),
        clock,
        CONNECT,
        REPLY);
  }

  static Endpoint loopback(int port) {
    return new Endpoint(IpAddress.parse("127.0.0.1"), port);
  }

  /** A self-signed certificate in {@code dir}, or the test is skipped, saying why. */
  static SSLContext tls(Path dir)
      throws IOException, InterruptedException, GeneralSecurityException {
    Assumptions.assumeTrue(
        Openssl.available(),
        "openssl is not installed (apt-get install openssl): TLS tests skipped");
    Openssl.selfSigned(dir);
    return PemTls.serverContext(dir);
  }

  static String sha256OfCertificate(Path dir) throws IOException, GeneralSecurityException {
    byte[] der =
        CertificateFactory.getInstance("X.509")
            .generateCertificate(Files.newInputStream(dir.resolve("cert.pem")))
            .getEncoded();
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
  }
}
