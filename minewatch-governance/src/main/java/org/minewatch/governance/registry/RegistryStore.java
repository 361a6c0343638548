package org.minewatch.governance.registry;

import java.io.IOException;
import java.io.StringReader;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.minewatch.attribution.registry.Allocation;
import org.minewatch.attribution.registry.IpRange;
import org.minewatch.attribution.registry.RegistryImport;
import org.minewatch.attribution.registry.Unit;
import org.minewatch.attribution.registry.UnitCategory;
import org.minewatch.attribution.registry.UnitRegistry;
import org.minewatch.governance.Problem;
import org.minewatch.governance.store.Times;

/**
 * The unit registry kept in the database. An import (the CSV or JSON of {@code --registry})
 * replaces the ranges of each unit it names and closes the old ones, which stay as history; units
 * it does not name keep theirs. Lookups use the attribution module's {@link UnitRegistry}, rebuilt
 * from the current ranges after each import.
 */
public final class RegistryStore {
  private final Jdbi jdbi;
  private final Clock clock;
  private final AtomicReference<Cached> current = new AtomicReference<>();

  /** Bumped by every invalidation: a registry loaded before one is never used after it. */
  private final AtomicLong generation = new AtomicLong();

  private record Cached(long generation, Current current) {}

  public RegistryStore(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** The registry in force and each unit's row id. */
  public record Current(UnitRegistry registry, Map<String, Long> unitIds) {}

  /** What an import did. */
  public record ImportResult(
      long importId,
      int accepted,
      int units,
      int rangesClosed,
      List<String> problems,
      List<String> warnings) {}

  public static String key(Unit u) {
    return u.code() != null ? u.code() : "name:" + u.name();
  }

  /** Imports in the caller's transaction; call {@link #invalidate()} after it commits. */
  public ImportResult importText(Handle h, String text, String source, String actor) {
    RegistryImport.Result r;
    try {
      r = RegistryImport.read(new StringReader(text), source);
    } catch (IOException e) {
      throw Problem.invalid("registry", e.getMessage());
    }
    if (r.allocations().isEmpty()) {
      throw Problem.invalid(
          "registry",
          "no usable line"
              + (r.problems().isEmpty()
                  ? ""
                  : ": "
                      + String.join(
                          "; ", r.problems().subList(0, Math.min(5, r.problems().size())))));
    }
    List<String> problems = new ArrayList<>(r.problems());
    problems.addAll(
        UnitRegistry.build(r.allocations()).notes().stream()
            .filter(n -> n.contains("not imported"))
            .toList());
    Instant now = clock.instant();
    long importId =
        h.createUpdate(
                "insert into registry_imports (imported_at, imported_by, source, accepted, problems) "
                    + "values (:at, :by, :src, :n, :p)")
            .bind("at", Times.bind(now))
            .bind("by", actor)
            .bind("src", source)
            .bind("n", r.allocations().size())
            .bind(
                "p",
                String.join(
                    "\n",
                    java.util.stream.Stream.concat(
                            problems.stream(),
                            warnings(r.warnings()).stream().map(w -> "warning: " + w))
                        .toList()))
            .executeAndReturnGeneratedKeys("id")
            .mapTo(Long.class)
            .one();
    Map<String, List<Allocation>> byUnit = new LinkedHashMap<>();
    for (Allocation a : r.allocations()) {
      byUnit.computeIfAbsent(key(a.unit()), k -> new ArrayList<>()).add(a);
    }
    int closed = 0;
    for (Map.Entry<String, List<Allocation>> e : byUnit.entrySet()) {
      Unit u = e.getValue().get(e.getValue().size() - 1).unit();
      long unitId = upsertUnit(h, e.getKey(), u, now);
      closed +=
          h.createUpdate(
                  "update unit_ranges set valid_to = :now where unit_id = :u and valid_to is null")
              .bind("now", Times.bind(now))
              .bind("u", unitId)
              .execute();
      for (Allocation a : e.getValue()) {
        h.createUpdate(
                "insert into unit_ranges (unit_id, range_text, import_id, line, valid_from) "
                    + "values (:u, :r, :i, :l, :now)")
            .bind("u", unitId)
            .bind("r", a.range().toString())
            .bind("i", importId)
            .bind("l", a.line())
            .bind("now", Times.bind(now))
            .execute();
      }
    }
    return new ImportResult(
        importId,
        r.allocations().size(),
        byUnit.size(),
        closed,
        List.copyOf(problems),
        warnings(r.warnings()));
  }

  /**
   * Warnings kept with an import and answered: the first ones, then how many more (one a line adds
   * up).
   */
  static final int WARNINGS_KEPT = 100;

  private static List<String> warnings(List<String> all) {
    if (all.size() <= WARNINGS_KEPT) {
      return all;
    }
    List<String> kept = new ArrayList<>(all.subList(0, WARNINGS_KEPT));
    kept.add((all.size() - WARNINGS_KEPT) + " more warnings like these; the lines were imported");
    return List.copyOf(kept);
  }

  private static long upsertUnit(Handle h, String key, Unit u, Instant now) {
    var existing =
        h.createQuery("select id from units where unit_key = :k")
            .bind("k", key)
            .mapTo(Long.class)
            .findFirst();
    if (existing.isPresent()) {
      h.createUpdate(
              "update units set name = :name, code = :code, category = :cat, region_code = :rc, region = :region, "
                  + "address = :addr, contact = :contact, updated_at = :now where id = :id")
          .bind("name", u.name())
          .bind("code", u.code())
          .bind("cat", u.category().label())
          .bind("rc", u.regionCode())
          .bind("region", u.region())
          .bind("addr", u.address())
          .bind("contact", u.contact())
          .bind("now", Times.bind(now))
          .bind("id", existing.get())
          .execute();
      return existing.get();
    }
    return h.createUpdate(
            "insert into units (unit_key, name, code, category, region_code, region, address, contact, "
                + "updated_at) values (:k, :name, :code, :cat, :rc, :region, :addr, :contact, :now)")
        .bind("k", key)
        .bind("name", u.name())
        .bind("code", u.code())
        .bind("cat", u.category().label())
        .bind("rc", u.regionCode())
        .bind("region", u.region())
        .bind("addr", u.address())
        .bind("contact", u.contact())
        .bind("now", Times.bind(now))
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  /** The registry in force (cached until the next import). */
  public Current current() {
    long g = generation.get();
    Cached c = current.get();
    if (c != null && c.generation() == g) {
      return c.current();
    }
    // A load that began before an import committed and ends after it may read the old ranges: it is
    // stamped with the generation it began in, so the invalidation that followed the import
    // discards it.
    Current fresh = load();
    current.compareAndSet(c, new Cached(g, fresh));
    return fresh;
  }

  public void invalidate() {
    generation.incrementAndGet();
    current.set(null);
  }

  private Current load() {
    return jdbi.withHandle(
        h -> {
          List<Allocation> lines = new ArrayList<>();
          Map<String, Long> ids = new LinkedHashMap<>();
          h.createQuery(
                  "select r.range_text, r.line, r.import_id, u.* from unit_ranges r join units u on u.id = r.unit_id "
                      + "where r.valid_to is null order by r.id")
              .map(
                  (rs, ctx) -> {
                    Unit u = unit(rs);
                    ids.put(rs.getString("unit_key"), rs.getLong("id"));
                    return new Allocation(
                        IpRange.parse(rs.getString("range_text")),
                        u,
                        "import " + rs.getLong("import_id"),
                        rs.getLong("line"));
                  })
              .forEach(lines::add);
          h.createQuery("select id, unit_key from units")
              .map((rs, ctx) -> Map.entry(rs.getString(2), rs.getLong(1)))
              .forEach(e -> ids.putIfAbsent(e.getKey(), e.getValue()));
          return new Current(UnitRegistry.build(lines), Map.copyOf(ids));
        });
  }

  /** A unit from a {@code units} row. */
  public static Unit unit(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Unit(
        rs.getString("name"),
        rs.getString("code"),
        UnitCategory.parse(rs.getString("category")),
        rs.getString("region_code"),
        rs.getString("region"),
        rs.getString("address"),
        rs.getString("contact"));
  }
}
