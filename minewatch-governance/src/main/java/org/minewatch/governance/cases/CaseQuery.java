package org.minewatch.governance.cases;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.minewatch.governance.Problem;

/**
 * Filters and order of a case list; every value is checked here, so the query built from it binds
 * only known columns and parameters.
 *
 * @param region a GB/T 2260 code or prefix, or {@code none}: cases with no region (an address no
 *     unit holds)
 * @param priority {@code list} (the 重点名单), or null for all
 * @param category a unit category, or several separated by commas; {@code unknown} includes cases
 *     without a unit
 * @param coin a coin the case's hosts mine; {@code unknown}: a mining host of the case names none
 * @param page 1-based
 * @param algorithm a mining algorithm of the case's findings ({@code randomx}, {@code sha256d}...);
 *     {@code unknown}: a mining finding of the case names none
 * @param operation an operation (one wallet, or one account at the same pools) of the case's
 *     findings
 */
public record CaseQuery(
    List<CaseState> states,
    String region,
    String priority,
    String unit,
    String category,
    String coin,
    Boolean overdue,
    String sort,
    int page,
    int size,
    String algorithm,
    String operation) {
  public static final int MAX_SIZE = 500;
  static final Set<String> SORTS = Set.of("priority", "opened", "deadline", "state", "number");

  /** The value meaning "not known": no region, no unit, no coin or no algorithm. */
  public static final String UNKNOWN = "unknown";

  public CaseQuery {
    states = states == null ? List.of() : List.copyOf(states);
    if (region != null && !region.matches("\\d{2,6}") && !region.equals("none")) {
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
    if (category != null) {
      category = category.toLowerCase(Locale.ROOT);
    }
    if (category != null && !category.matches("[a-z-]{1,40}(,[a-z-]{1,40}){0,9}")) {
      throw Problem.invalid("category", "\"" + category + "\" is not a category or a list of them");
    }
    if (algorithm != null) {
      algorithm = algorithm.toLowerCase(Locale.ROOT);
      if (!algorithm.matches("[a-z0-9._/-]{1,40}")) {
        throw Problem.invalid("algorithm", "\"" + algorithm + "\" is not an algorithm's name");
      }
    }
    if (operation != null && !operation.matches("[A-Za-z0-9._:-]{1,100}")) {
      throw Problem.invalid("operation", "\"" + operation + "\" is not an operation's id");
    }
  }

  /** Without the algorithm and operation filters. */
  public CaseQuery(
      List<CaseState> states,
      String region,
      String priority,
      String unit,
      String category,
      String coin,
      Boolean overdue,
      String sort,
      int page,
      int size) {
    this(states, region, priority, unit, category, coin, overdue, sort, page, size, null, null);
  }

  public static CaseQuery all() {
    return new CaseQuery(List.of(), null, null, null, null, null, null, "priority", 1, MAX_SIZE);
  }

  /** The same filters and order, another page and size. */
  public CaseQuery at(int page, int size) {
    return new CaseQuery(
        states, region, priority, unit, category, coin, overdue, sort, page, size, algorithm,
        operation);
  }
}
