package org.minewatch.attribution;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.minewatch.attribution.assess.Assessment;
import org.minewatch.attribution.assess.Assessor;
import org.minewatch.attribution.geo.Geo;
import org.minewatch.attribution.geo.GeoLocator;
import org.minewatch.attribution.registry.Allocation;
import org.minewatch.attribution.registry.Unit;
import org.minewatch.attribution.registry.UnitRegistry;
import org.minewatch.model.IpAddress;

/**
 * Attributes hosts: the unit from the registry (most specific range), the place from the
 * geolocation databases (consulted in order, each filling what the earlier left empty), and the
 * assessment of every miner, which needs all hosts at once (a wallet shared across units, a farm).
 */
public final class Attributor {
  private final UnitRegistry registry;
  private final List<GeoLocator> geo;
  private final Assessor assessor;

  public Attributor(UnitRegistry registry, List<GeoLocator> geo, Assessor assessor) {
    this.registry = registry;
    this.geo = List.copyOf(geo);
    this.assessor = assessor;
  }

  /**
   * @param knownUnits units already attached to hosts (from earlier attribution), used where the
   *     registry has none; may be empty
   * @param knownPlaces places already attached to hosts, which the databases only complete; may be
   *     empty
   */
  public Map<IpAddress, Attribution> attribute(
      List<MiningHost> hosts, Map<IpAddress, Unit> knownUnits, Map<IpAddress, Geo> knownPlaces) {
    Map<IpAddress, Unit> units = new HashMap<>();
    Map<IpAddress, Geo> places = new HashMap<>();
    for (MiningHost h : hosts) {
      Allocation a = registry.lookup(h.host());
      Unit u = a != null ? a.unit() : knownUnits.get(h.host());
      if (u != null) {
        units.put(h.host(), u);
      }
      Geo g = knownPlaces.get(h.host());
      for (GeoLocator l : geo) {
        Geo found = l.locate(h.host());
        g = g == null ? found : g.orElse(found);
      }
      if (g != null) {
        places.put(h.host(), g);
      }
    }
    Map<IpAddress, Assessment> assessments = assessor.assess(hosts, units::get);
    Map<IpAddress, Attribution> out = new HashMap<>();
    for (MiningHost h : hosts) {
      Unit u = units.get(h.host());
      Geo g = places.get(h.host());
      Assessment as = assessments.get(h.host());
      if (u != null || g != null || as != null) {
        out.put(h.host(), new Attribution(u, g, as));
      }
    }
    return out;
  }
}
