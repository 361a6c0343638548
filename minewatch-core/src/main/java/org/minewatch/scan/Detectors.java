package org.minewatch.scan;

import java.util.List;
import org.minewatch.detect.Detector;
import org.minewatch.detect.http.MinerHttpDetector;
import org.minewatch.detect.node.BitcoinP2pDetector;
import org.minewatch.detect.node.EthereumDetector;
import org.minewatch.detect.node.LevinDetector;
import org.minewatch.detect.stratum.StratumDetector;

/** The detectors a scan runs unless told otherwise. */
public final class Detectors {
  private Detectors() {}

  public static List<Detector> standard() {
    return List.of(new StratumDetector(), new MinerHttpDetector(), new BitcoinP2pDetector(), new LevinDetector(),
        new EthereumDetector());
  }
}
