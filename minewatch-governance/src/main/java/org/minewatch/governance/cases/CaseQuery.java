package org.minewatch.governance.cases;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.minewatch.governance.Problem;

/**
 * Filters and order of a case list; every value is checked here, so the query built from it binds
 * only known columns and parameters.
 *
 * @param priority {@code list} (the 重点名单), or null for all
 * @param page 1-based
 */
public record CaseQuery(List<CaseState> states, String region, String priority, String unit, String category,
    String coin, Boolean overdue, String sort, int page, int size) {
  public static final int MAX_SIZE = 500;
  static final Set<String> SORTS = Set.of("priority", "opened", "deadline", "state", "number");

  public CaseQuery {
    states = states == null ? List.of() : List.copyOf(states);
    if (region != null && !region.matches("\\d{2,6}")) {
      throw Problem.invalid("region", "\"" + region + "\" is not a GB/T 2260 code or prefix");
    }
    if (priority != null && !priority.equals("list") && !priority.equals("all")) {
      throw Problem.invalid("priority", "\"" + priority + "\" is none of list, all");
    }
    if (sort == null) {
      sort = "priority";
    }
    if (!SORTS.contains(sort)) {
      throw Problem.invalid("sort", "\"" + sort + "\" is none of " + String.join(", ", SORTS));
    }
    if (page < 1) {
      throw Problem.invalid("page", "must be 1 or more");
    }
    if (size < 1 || size > MAX_SIZE) {
      throw Problem.invalid("size", "must be 1 to " + MAX_SIZE);
    }
    if (coin != null) {
      coin = coin.toLowerCase(Locale.ROOT);
    }
  }

  public static CaseQuery all() {
    return new CaseQuery(List.of(), null, null, null, null, null, null, "priority", 1, MAX_SIZE);
  }
}
