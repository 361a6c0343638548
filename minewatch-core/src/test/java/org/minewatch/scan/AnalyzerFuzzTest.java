package org.minewatch.scan;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.minewatch.capture.CaptureFile;
import org.minewatch.capture.CaptureFormatException;
import org.minewatch.capture.CaptureInput;
import org.minewatch.capture.PcapReader;
import org.minewatch.capture.PcapngReader;
import org.minewatch.evidence.EvidenceAggregator;
import org.minewatch.intel.AddressNames;
import org.minewatch.intel.Intel;
import org.minewatch.intel.PoolCatalogue;

/**
 * A whole analysis on an arbitrary capture (docs/fuzzing.md): reader, decoder, flow table,
 * reassembly and every detector and session, as {@code minewatch scan} runs them. Its contract: a
 * malformed packet never stops an analysis; faults are reported with the file's name.
 */
class AnalyzerFuzzTest {
  private static final Path FILE = Path.of("fuzz.pcap");
  private static final PoolCatalogue POOLS = PoolCatalogue.defaults();

  @FuzzTest(maxDuration = "30s")
  void capture(byte[] data) throws IOException {
    EvidenceAggregator aggregator = new EvidenceAggregator(POOLS);
    Analyzer analyzer =
        new Analyzer(
            Detectors.standard(new Intel(POOLS, new AddressNames())),
            aggregator,
            new ScanStats(),
            problem -> {
              if (!problem.startsWith(FILE + ": ")) {
                throw new AssertionError("problem without its file: " + problem);
              }
            },
            1024);
    analyzer.startFile(FILE);
    CaptureFile.Format format = CaptureFile.sniff(data, data.length);
    try (CaptureInput in = CaptureInput.stream(new ByteArrayInputStream(data))) {
      if (format == CaptureFile.Format.PCAPNG) {
        PcapngReader.read(FILE, in, analyzer);
      } else {
        PcapReader.read(FILE, in, analyzer);
      }
    } catch (CaptureFormatException e) {
      // not a capture: the documented answer
    }
    analyzer.finish();
    aggregator.findings();
  }
}
