package org.minewatch.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.governance.Governance;
import org.minewatch.governance.Settings;
import org.minewatch.governance.order.TariffPolicies;
import org.minewatch.governance.store.Database;
import org.minewatch.server.ApiServer;
import org.minewatch.server.Tls;
import org.minewatch.testkit.Openssl;

/**
 * HTTPS with a certificate the test makes with {@code openssl} (skipped, saying so, where there is
 * none): pages served over TLS only, cookies marked Secure, HSTS sent; the PEM reader's messages
 * for the files people get wrong.
 */
class TlsTest {
  @TempDir Path dir;

  /**
   * Runs openssl with {@code args} in {@code dir}; skips the test when openssl is not installed.
   */
  static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    Assumptions.assumeTrue(
        Openssl.available(),
        "openssl is not installed: the TLS test needs it to make a certificate");
    Openssl.run(dir, args);
  }

  /** A self-signed RSA certificate for localhost and 127.0.0.1: cert.pem and key.pem (PKCS#8). */
  static void rsaCertificate(Path dir) throws IOException, InterruptedException {
    Assumptions.assumeTrue(
        Openssl.available(),
        "openssl is not installed: the TLS test needs it to make a certificate");
    Openssl.selfSigned(dir);
  }

  static HttpClient trusting(Path cert) throws Exception {
    return HttpClient.newBuilder()
        .sslContext(trustingContext(cert))
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** TLS that trusts {@code cert} alone. */
  static SSLContext trustingContext(Path cert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (var in = Files.newInputStream(cert)) {
      trust.setCertificateEntry(
          "minewatch",
          java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }

  /**
   * The connection limit counts a TLS client once: as many clients as the limit complete their
   * handshakes, are served at once and are counted once each. (Jetty's ConnectionLimit counted the
   * TLS and the HTTP layer of one socket as two connections: this test saw it count 4 clients as
   * more than 4.)
   */
  @Test
  void asManyTlsClientsAsTheLimitAreServedAtOnce() throws Exception {
    rsaCertificate(dir);
    Tls tls = Tls.load(dir.resolve("cert.pem"), dir.resolve("key.pem"));
    int limit = 4;
    ApiServer.Limits limits =
        new ApiServer.Limits(Duration.ofSeconds(20), 4096, Duration.ofSeconds(20), limit);
    try (Database db = Database.embedded(dir.resolve("data"))) {
      Governance g =
          new Governance(db, Clock.systemUTC(), Settings.defaults(), TariffPolicies.builtIn());
      try (ApiServer server = ApiServer.start(g, "127.0.0.1", 0, tls, limits)) {
        SSLContext ssl = trustingContext(dir.resolve("cert.pem"));
        java.util.List<javax.net.ssl.SSLSocket> open = new java.util.ArrayList<>();
        try {
          for (int i = 0; i < limit; i++) {
            javax.net.ssl.SSLSocket s =
                (javax.net.ssl.SSLSocket)
                    ssl.getSocketFactory().createSocket("127.0.0.1", server.port());
            open.add(s);
            s.setSoTimeout(15_000);
            s.startHandshake(); // a client the server does not take would wait here, then time out
          }
          for (javax.net.ssl.SSLSocket s : open) {
            s.getOutputStream()
                .write(
                    "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String status =
                new java.io.BufferedReader(
                        new java.io.InputStreamReader(
                            s.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
                    .readLine();
            assertThat(status).isEqualTo("HTTP/1.1 200 OK");
          }
          assertThat(server.connections()).isEqualTo(limit);
        } finally {
          for (javax.net.ssl.SSLSocket s : open) {
            s.close();
          }
        }
      }
    }
  }

  @Test
  void pagesAreServedOverHttpsWithSecureCookiesAndHsts() throws Exception {
    rsaCertificate(dir);
    Tls tls = Tls.load(dir.resolve("cert.pem"), dir.resolve("key.pem"));
    try (Database db = Database.embedded(dir.resolve("data"))) {
      Governance g =
          new Governance(db, Clock.systemUTC(), Settings.defaults(), TariffPolicies.builtIn());
      try (ApiServer server = ApiServer.start(g, "127.0.0.1", 0, tls)) {
        HttpClient client = trusting(dir.resolve("cert.pem"));
        HttpResponse<String> page =
            client.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/tipoff"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.sslSession()).isPresent();
        assertThat(page.sslSession().get().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
        assertThat(page.body()).contains("<h1>" + Messages.of("zh").get("tipoff.title") + "</h1>");
        assertThat(page.headers().firstValue("Strict-Transport-Security"))
            .hasValue("max-age=31536000");
        assertThat(page.headers().allValues("Set-Cookie"))
            .singleElement()
            .satisfies(
                c ->
                    assertThat(c)
                        .startsWith("mw_csrf=")
                        .endsWith("; Path=/; SameSite=Strict; HttpOnly; Secure"));
        // The JSON API too, and localhost matches the certificate as well as the address.
        HttpResponse<String> api =
            client.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "https://localhost:"
                                + server.port()
                                + "/api/tipoffs/TO-AAAAAAAAAAAAAAAAAAAA"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isEqualTo(404);
        assertThat(api.headers().firstValue("Strict-Transport-Security"))
            .hasValue("max-age=31536000");
        // HTTPS only: plain HTTP on the same port gets no page.
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> http = null;
        try {
          http =
              plain.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.port() + "/tipoff"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
        } catch (IOException refused) {
          // the connection was closed: nothing served in the clear
        }
        if (http != null) {
          assertThat(http.statusCode()).isEqualTo(400);
          assertThat(http.body()).doesNotContain(Messages.of("zh").get("tipoff.title"));
        }
      }
    }
  }

  @Test
  void ecKeysAndPkcs1RsaKeysAreRead() throws Exception {
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        "ec-key.pem",
        "-out",
        "ec-cert.pem",
        "-days",
        "2",
        "-subj",
        "/CN=localhost");
    assertThat(
            Tls.load(dir.resolve("ec-cert.pem"), dir.resolve("ec-key.pem"))
                .certificate()
                .getPublicKey()
                .getAlgorithm())
        .isEqualTo("EC");
    rsaCertificate(dir);
    openssl(dir, "rsa", "-in", "key.pem", "-traditional", "-out", "rsa-key.pem");
    assertThat(Files.readString(dir.resolve("rsa-key.pem")))
        .startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(Tls.load(dir.resolve("cert.pem"), dir.resolve("rsa-key.pem")).keyStore().size())
        .isEqualTo(1);
    // A file holding the certificate and then the key serves as both.
    Files.writeString(
        dir.resolve("both.pem"),
        Files.readString(dir.resolve("cert.pem")) + Files.readString(dir.resolve("key.pem")));
    assertThat(
            Tls.load(dir.resolve("both.pem"), dir.resolve("both.pem"))
                .certificate()
                .getSubjectX500Principal()
                .getName())
        .isEqualTo("CN=localhost");
  }

  @Test
  void theFilesPeopleGetWrongAreNamedWithWhatIsWrong() throws Exception {
    rsaCertificate(dir);
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    assertThatThrownBy(() -> Tls.load(dir.resolve("missing.pem"), key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(dir.resolve("missing.pem") + ": no such file (the certificate)");
    assertThatThrownBy(() -> Tls.load(key, key))
        .hasMessage(
            key
                + ": holds a private key where the certificate was expected (--tls-cert takes the certificate, "
                + "--tls-key the key)");
    assertThatThrownBy(() -> Tls.load(cert, cert))
        .hasMessage(
            cert
                + ": no PEM private key in it (a block starting -----BEGIN PRIVATE KEY----- was expected)");
    // Another certificate's key.
    Path other = Files.createDirectory(dir.resolve("other"));
    rsaCertificate(other);
    assertThatThrownBy(() -> Tls.load(cert, other.resolve("key.pem")))
        .hasMessage(
            other.resolve("key.pem")
                + ": this private key does not belong to the certificate in "
                + cert);
    // SEC1 EC keys and encrypted keys: the conversion to use.
    openssl(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "sec1.pem");
    assertThatThrownBy(() -> Tls.load(cert, dir.resolve("sec1.pem")))
        .hasMessage(
            dir.resolve("sec1.pem")
                + ": an EC key in the SEC1 format (BEGIN EC PRIVATE KEY); the server reads "
                + "PKCS#8: convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem");
    openssl(
        dir,
        "pkcs8",
        "-topk8",
        "-in",
        "key.pem",
        "-out",
        "encrypted.pem",
        "-passout",
        "pass:secret");
    assertThatThrownBy(() -> Tls.load(cert, dir.resolve("encrypted.pem")))
        .hasMessage(
            dir.resolve("encrypted.pem")
                + ": the key is encrypted; the server needs it unencrypted: convert it "
                + "with: openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem");
    openssl(dir, "x509", "-in", "cert.pem", "-outform", "der", "-out", "cert.der");
    assertThatThrownBy(() -> Tls.load(dir.resolve("cert.der"), key))
        .hasMessage(
            dir.resolve("cert.der")
                + ": binary (DER) content; the certificate must be PEM text: openssl x509 "
                + "-inform der -in FILE -out cert.pem");
    Files.writeString(
        dir.resolve("broken.pem"),
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    assertThatThrownBy(() -> Tls.load(dir.resolve("broken.pem"), key))
        .hasMessageStartingWith(
            dir.resolve("broken.pem") + ": certificate 1 is not a valid X.509 certificate");
    assertThatThrownBy(() -> Tls.load(cert, cert)).message().doesNotContain("\n");
  }
}
