package org.minewatch.estimate;

/**
 * Power drawn by the mining a finding shows, as a range.
 *
 * @param basis the hardware class and efficiency assumed, for the reader to check
 */
public record PowerEstimate(
    double lowWatts, double bestWatts, double highWatts, String hardware, String basis) {

  public double lowKwhPerDay() {
    return lowWatts * 24 / 1000;
  }

  public double bestKwhPerDay() {
    return bestWatts * 24 / 1000;
  }

  public double highKwhPerDay() {
    return highWatts * 24 / 1000;
  }
}
