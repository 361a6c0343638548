package org.minewatch.intel;

/** What a scan knows about pools: the catalogue (with block lists) and names resolved in the traffic. */
public record Intel(PoolCatalogue catalogue, AddressNames names) {

  public static Intel defaults() {
    return new Intel(PoolCatalogue.defaults(), new AddressNames());
  }

  /** A fresh set of resolved names over the same catalogue, for a new scan. */
  public Intel forScan() {
    return new Intel(catalogue, new AddressNames());
  }
}
