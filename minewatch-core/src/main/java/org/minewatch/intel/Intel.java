package org.minewatch.intel;

import org.minewatch.model.IpAddress;

/**
 * What a scan knows about pools: the catalogue (with block lists) and names resolved in the
 * traffic.
 */
public record Intel(PoolCatalogue catalogue, AddressNames names) {

  /** A pool a server belongs to, and why a person should believe it. */
  public record PoolMatch(String pool, String reason) {}

  /**
   * The pool behind a server, by the name the client asked for (TLS server name, HTTP host), else
   * by a name its address was resolved from in the traffic, else by a block-listed address; null if
   * none of these says so.
   */
  public PoolMatch poolOf(String serverName, IpAddress server) {
    if (serverName != null) {
      String pool = catalogue.poolName(serverName).orElse(null);
      if (pool != null) {
        return new PoolMatch(pool, "server name " + serverName);
      }
    }
    String resolved = names.nameOf(server);
    if (resolved != null) {
      String pool = catalogue.poolName(resolved).orElse(null);
      if (pool != null) {
        return new PoolMatch(pool, "an address resolved from " + resolved + " in this traffic");
      }
    }
    return catalogue.isListedAddress(server)
        ? new PoolMatch(server + " (block list)", "an address on an imported block list")
        : null;
  }
}
