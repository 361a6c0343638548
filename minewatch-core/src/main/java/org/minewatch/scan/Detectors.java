package org.minewatch.scan;

import java.util.List;
import org.minewatch.detect.Detector;
import org.minewatch.detect.dns.DnsDetector;
import org.minewatch.detect.http.MinerHttpDetector;
import org.minewatch.detect.node.BitcoinP2pDetector;
import org.minewatch.detect.node.CasperZugDetector;
import org.minewatch.detect.node.EthereumDetector;
import org.minewatch.detect.node.LevinDetector;
import org.minewatch.detect.node.NanoDetector;
import org.minewatch.detect.stratum.StratumDetector;
import org.minewatch.detect.stratum.StratumV2Detector;
import org.minewatch.detect.tls.TlsPoolDetector;
import org.minewatch.detect.web.WebMinerDetector;
import org.minewatch.intel.Intel;

/** The detectors a scan runs unless told otherwise. */
public final class Detectors {
  private Detectors() {}

  /** The detectors, the pool-intelligence ones working with {@code intel}. */
  public static List<Detector> standard(Intel intel) {
    return List.of(
        new StratumDetector(),
        new StratumV2Detector(),
        new MinerHttpDetector(intel),
        new BitcoinP2pDetector(),
        new LevinDetector(),
        new EthereumDetector(),
        new NanoDetector(),
        new CasperZugDetector(),
        new TlsPoolDetector(intel),
        new DnsDetector(intel),
        new WebMinerDetector());
  }
}
