package org.minewatch.attribution.geo;

import org.minewatch.model.IpAddress;

/** A geolocation database. Lookups may allocate: call them per host, never per packet. */
public interface GeoLocator extends AutoCloseable {
  /** What the database knows of the address, or null. */
  Geo locate(IpAddress address);

  @Override
  default void close() {}
}
