package org.minewatch.intel;

import java.util.LinkedHashMap;
import java.util.Map;
import org.minewatch.model.IpAddress;

/**
 * Which host name an address was resolved from in the traffic (DNS answers seen), so that a later
 * connection to that address can be named. Bounded: the least recently used entries go.
 */
public final class AddressNames {
  public static final int DEFAULT_CAPACITY = 1 << 16;

  private final Map<IpAddress, String> names;

  public AddressNames(int capacity) {
    this.names =
        new LinkedHashMap<>(1024, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<IpAddress, String> eldest) {
            return size() > capacity;
          }
        };
  }

  public AddressNames() {
    this(DEFAULT_CAPACITY);
  }

  public void put(IpAddress address, String name) {
    names.put(address, name);
  }

  /** The name the address was last resolved from, or null. */
  public String nameOf(IpAddress address) {
    return names.get(address);
  }

  public int size() {
    return names.size();
  }
}
