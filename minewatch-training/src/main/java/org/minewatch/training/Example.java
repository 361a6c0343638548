package org.minewatch.training;

/** One judged connection: where it came from, whether it is mining, and its features. */
record Example(String kind, boolean mining, double[] features) {}
