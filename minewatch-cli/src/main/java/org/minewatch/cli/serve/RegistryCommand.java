package org.minewatch.cli.serve;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code minewatch registry import FILE --server URL}: sends a unit registry to the server. */
@Command(
    name = "registry",
    mixinStandardHelpOptions = true,
    description = "The server's unit registry.",
    subcommands = RegistryCommand.Import.class)
public final class RegistryCommand {

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = {
        "Imports a unit registry (CSV or JSON, "
            + "as for --registry) into the server: the units it names get its ranges, their earlier ranges are kept as "
            + "history. Needs a province administrator's token (POST /api/login).",
        "Exit status: 0 imported, 1 refused by the server, 2 unusable arguments or server unreachable."
      })
  static final class Import implements Callable<Integer> {
    @Parameters(paramLabel = "FILE")
    Path file;

    @Option(
        names = "--server",
        required = true,
        paramLabel = "URL",
        description = "e.g. http://127.0.0.1:8080")
    String server;

    @Option(
        names = "--token",
        paramLabel = "TOKEN",
        description = "Bearer token (default: $MINEWATCH_TOKEN).")
    String token;

    @Override
    public Integer call() throws IOException, InterruptedException {
      String t = token != null ? token : System.getenv("MINEWATCH_TOKEN");
      if (t == null || t.isBlank()) {
        System.err.println("minewatch registry import: give --token or set MINEWATCH_TOKEN");
        return 2;
      }
      byte[] body;
      try {
        body = Files.readAllBytes(file);
      } catch (NoSuchFileException e) {
        System.err.println("minewatch registry import: " + file + ": no such file");
        return 2;
      }
      URI uri;
      try {
        uri =
            URI.create(
                server.replaceAll("/+$", "")
                    + "/api/registry?source="
                    + java.net.URLEncoder.encode(
                        file.getFileName().toString(), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        System.err.println("minewatch registry import: --server " + server + " is not a URL");
        return 2;
      }
      HttpRequest req =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofMinutes(5))
              .header("Authorization", "Bearer " + t)
              .header("Content-Type", "text/plain; charset=utf-8")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      HttpResponse<String> res;
      try {
        res =
            HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .build()
                .send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        System.err.println(
            "minewatch registry import: " + server + " unreachable: " + e.getMessage());
        return 2;
      }
      if (res.statusCode() == 200) {
        System.out.println(res.body());
        return 0;
      }
      System.err.println(
          "minewatch registry import: the server refused ("
              + res.statusCode()
              + "): "
              + res.body());
      return 1;
    }
  }
}
