package org.minewatch.intel;

import java.util.List;
import java.util.Set;
import org.minewatch.model.Coin;

/** A mining pool as the catalogue knows it. */
public record Pool(
    String name,
    List<String> domains,
    Set<Coin> coins,
    Set<Integer> ports,
    Set<Integer> tlsPorts) {}
