package org.minewatch.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.minewatch.governance.user.Role;

/**
 * The API described as OpenAPI 3.1, generated from the route table itself, so the description
 * cannot drift from what is served: paths, methods, summaries, path parameters, the bearer scheme
 * and, per operation, the roles that may call it ({@code x-roles}).
 */
final class OpenApi {
  private static final Pattern PARAM = Pattern.compile("\\{([a-z_]+)}");

  private OpenApi() {}

  static Map<String, Object> document(List<Route> routes) {
    Map<String, Object> paths = new LinkedHashMap<>();
    for (Route r : routes) {
      @SuppressWarnings("unchecked")
      Map<String, Object> item =
          (Map<String, Object>) paths.computeIfAbsent(r.path(), k -> new LinkedHashMap<>());
      Map<String, Object> op = new LinkedHashMap<>();
      op.put("summary", r.summary());
      op.put(
          "operationId",
          (r.method().name() + r.path()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_"));
      List<Map<String, Object>> params = new java.util.ArrayList<>();
      Matcher m = PARAM.matcher(r.path());
      while (m.find()) {
        params.add(
            Map.of(
                "name",
                m.group(1),
                "in",
                "path",
                "required",
                true,
                "schema",
                Map.of("type", "string")));
      }
      if (!params.isEmpty()) {
        op.put("parameters", params);
      }
      if (r.action() == null) {
        op.put("security", List.of());
      } else {
        op.put("x-action", r.action().name().toLowerCase(Locale.ROOT));
        op.put("x-roles", r.action().roles().stream().map(Role::label).toList());
      }
      if (r.maxBody() > 0) {
        op.put("x-max-body-bytes", r.maxBody());
      }
      Map<String, Object> responses = new LinkedHashMap<>();
      responses.put("200", Map.of("description", "done"));
      responses.put("400", Map.of("description", "a field is wrong: {error, field}"));
      if (r.action() != null) {
        responses.put("401", Map.of("description", "no valid token"));
        responses.put("403", Map.of("description", "the role or region may not do this (audited)"));
      }
      responses.put("413", Map.of("description", "body too large"));
      op.put("responses", responses);
      item.put(r.method().name().toLowerCase(Locale.ROOT), op);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("openapi", "3.1.0");
    doc.put(
        "info",
        Map.of(
            "title",
            "MineWatch governance API",
            "version",
            "1",
            "description",
            "Cases from finding to closure, orders, tip-offs, users, audit. See docs/governance.md."));
    doc.put(
        "components",
        Map.of("securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer"))));
    doc.put("security", List.of(Map.of("bearer", List.of())));
    doc.put("paths", paths);
    return doc;
  }
}
