package org.minewatch.governance.cases;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.minewatch.attribution.assess.Reason;
import org.minewatch.attribution.registry.UnitCategory;

/**
 * The campaign's three priorities as a score: industrial-scale mining (energy per day, or many
 * hosts), state-owned units and public bodies, and Bitcoin. A case meeting any of the three is on
 * the priority list (重点名单). The score orders cases within the list.
 *
 * <ul>
 *   <li>scale: ≥ 10,000 kWh/day +50 (a farm of about 400 kW); ≥ 1,000 kWh/day +35; ≥ 100 kWh/day
 *       +20 (priority from 100 kWh/day, about 4 kW: more than a few servers); 10 or more mining
 *       hosts +20 (counted once with energy: the larger of the two)
 *   <li>state-owned and public: government, public institution, university, state-owned enterprise
 *       +30
 *   <li>Bitcoin (coin bitcoin): +20
 *   <li>deliberate mining +10, compromised +5 (not a priority by itself)
 * </ul>
 */
public final class Priority {

  private Priority() {}

  /**
   * A score, whether the case is on the priority list, and the reasons (codes from {@link Reasons}'
   * bundle).
   */
  public record Score(int points, boolean onList, List<Reason> reasons) {}

  public static Score score(
      double kwhBestPerDay,
      int miningHosts,
      UnitCategory category,
      List<String> coins,
      String assessment) {
    int points = 0;
    boolean listed = false;
    List<Reason> reasons = new ArrayList<>();
    int scale =
        kwhBestPerDay >= 10_000 ? 50 : kwhBestPerDay >= 1_000 ? 35 : kwhBestPerDay >= 100 ? 20 : 0;
    int fleet = miningHosts >= 10 ? 20 : 0;
    if (scale > 0 || fleet > 0) {
      points += Math.max(scale, fleet);
      listed = true;
      reasons.add(
          scale >= fleet
              ? Reason.of("priority.scale_kwh", String.format(Locale.ROOT, "%.0f", kwhBestPerDay))
              : Reason.of("priority.scale_hosts", miningHosts));
    }
    if (category != null
        && (category == UnitCategory.GOVERNMENT
            || category == UnitCategory.PUBLIC_INSTITUTION
            || category == UnitCategory.UNIVERSITY
            || category == UnitCategory.SOE)) {
      points += 30;
      listed = true;
      reasons.add(Reason.of("priority.public_body", Reason.of("category." + category.label())));
    }
    if (coins.contains("bitcoin")) {
      points += 20;
      listed = true;
      reasons.add(Reason.of("priority.bitcoin"));
    }
    if ("deliberate".equals(assessment)) {
      points += 10;
      reasons.add(Reason.of("priority.deliberate"));
    } else if ("compromised".equals(assessment)) {
      points += 5;
      reasons.add(Reason.of("priority.compromised"));
    }
    return new Score(points, listed, List.copyOf(reasons));
  }
}
