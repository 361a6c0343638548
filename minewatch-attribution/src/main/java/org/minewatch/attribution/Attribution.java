package org.minewatch.attribution;

import org.minewatch.attribution.assess.Assessment;
import org.minewatch.attribution.geo.Geo;
import org.minewatch.attribution.registry.Unit;

/**
 * What is known of a host beyond the traffic: its unit, its place, and the assessment of its
 * mining.
 */
public record Attribution(Unit unit, Geo geo, Assessment assessment) {}
