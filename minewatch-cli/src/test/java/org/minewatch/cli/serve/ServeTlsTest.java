package org.minewatch.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.testkit.Openssl;
import picocli.CommandLine;

/**
 * {@code serve --tls-cert FILE --tls-key FILE}: HTTPS only, with a certificate the test makes with
 * {@code openssl} (skipped, saying so, where there is none); unusable files stop it with status 2
 * and one line naming the file, before any database is opened.
 */
class ServeTlsTest {
  @TempDir Path dir;

  private void openssl(String... args) throws IOException, InterruptedException {
    Assumptions.assumeTrue(
        Openssl.available(),
        "openssl is not installed: the TLS test needs it to make a certificate");
    Openssl.run(dir, args);
  }

  private void certificate() throws IOException, InterruptedException {
    Assumptions.assumeTrue(
        Openssl.available(),
        "openssl is not installed: the TLS test needs it to make a certificate");
    Openssl.selfSigned(dir);
  }

  private record Run(int status, String out, String err) {}

  private Run serve(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        new CommandLine(
                new ServeCommand(
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8)))
            .execute(args);
    return new Run(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void unusableFilesStopItWithOneLineNamingTheFile() throws Exception {
    certificate();
    Path data = dir.resolve("data");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Run missing =
        serve(
            "--data",
            data.toString(),
            "--listen",
            "127.0.0.1:0",
            "--tls-cert",
            dir.resolve("nope.pem").toString(),
            "--tls-key",
            key.toString());
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err())
        .isEqualTo(
            "minewatch serve: "
                + dir.resolve("nope.pem")
                + ": no such file (the certificate)"
                + System.lineSeparator());
    Run swapped =
        serve(
            "--data",
            data.toString(),
            "--listen",
            "127.0.0.1:0",
            "--tls-cert",
            key.toString(),
            "--tls-key",
            cert.toString());
    assertThat(swapped.status()).isEqualTo(2);
    assertThat(swapped.err())
        .isEqualTo(
            "minewatch serve: "
                + key
                + ": holds a private key where the certificate was "
                + "expected (--tls-cert takes the certificate, --tls-key the key)"
                + System.lineSeparator());
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "sec1.pem");
    Run sec1 =
        serve(
            "--data",
            data.toString(),
            "--tls-cert",
            cert.toString(),
            "--tls-key",
            dir.resolve("sec1.pem").toString());
    assertThat(sec1.status()).isEqualTo(2);
    assertThat(sec1.err())
        .isEqualTo(
            "minewatch serve: "
                + dir.resolve("sec1.pem")
                + ": an EC key in the SEC1 format "
                + "(BEGIN EC PRIVATE KEY); the server reads PKCS#8: convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out "
                + "key.pem"
                + System.lineSeparator());
    Run alone = serve("--data", data.toString(), "--tls-cert", cert.toString());
    assertThat(alone.status()).isEqualTo(2);
    assertThat(alone.err())
        .isEqualTo(
            "minewatch serve: --tls-cert and --tls-key go together (HTTPS needs the "
                + "certificate and its key)"
                + System.lineSeparator());
    // Refused before the database is opened: no data folder was made.
    assertThat(data).doesNotExist();
  }

  @Test
  void servesHttpsOnlyWithSecureCookiesAndHsts() throws Exception {
    certificate();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "org.minewatch.cli.MineWatch",
                "serve",
                "--data",
                dir.resolve("data").toString(),
                "--listen",
                "127.0.0.1:0",
                "--tls-cert",
                dir.resolve("cert.pem").toString(),
                "--tls-key",
                dir.resolve("key.pem").toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String base = null;
      StringBuilder seen = new StringBuilder();
      for (String l = out.readLine(); l != null; l = out.readLine()) {
        seen.append(l).append('\n');
        Matcher m = Pattern.compile("listening on (https://127\\.0\\.0\\.1:\\d+)").matcher(l);
        if (m.find()) {
          base = m.group(1);
          break;
        }
      }
      assertThat(base).as(seen.toString()).isNotNull();

      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      try (var in = Files.newInputStream(dir.resolve("cert.pem"))) {
        trust.setCertificateEntry(
            "minewatch",
            java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      HttpClient client =
          HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();

      HttpResponse<String> login =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/login")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).isEqualTo(200);
      assertThat(login.body()).contains("name=\"_csrf\"");
      assertThat(login.headers().firstValue("Strict-Transport-Security"))
          .hasValue("max-age=31536000");
      assertThat(login.headers().allValues("Set-Cookie"))
          .singleElement()
          .satisfies(
              c ->
                  assertThat(c)
                      .startsWith("mw_csrf=")
                      .endsWith("; Path=/; SameSite=Strict; HttpOnly; Secure"));
      assertThat(login.sslSession().orElseThrow().getProtocol()).isIn("TLSv1.2", "TLSv1.3");
    } finally {
      p.destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }
}
