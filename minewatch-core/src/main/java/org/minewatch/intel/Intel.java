package org.minewatch.intel;

/** What a scan knows about pools: the catalogue (with block lists) and names resolved in the traffic. */
public record Intel(PoolCatalogue catalogue, AddressNames names) {
}
