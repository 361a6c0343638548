package org.minewatch.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.minewatch.capture.CaptureFile;
import org.minewatch.capture.CaptureListener;
import org.minewatch.capture.Packet;
import org.minewatch.detect.behaviour.BehaviourFeatures;
import org.minewatch.detect.behaviour.BehaviourJudge;
import org.minewatch.detect.behaviour.FlowProfile;
import org.minewatch.evidence.EvidenceAggregator;
import org.minewatch.evidence.EvidenceSink;
import org.minewatch.flow.Flow;
import org.minewatch.flow.FlowTable;
import org.minewatch.intel.AddressNames;
import org.minewatch.intel.Intel;
import org.minewatch.intel.PoolCatalogue;
import org.minewatch.scan.Analyzer;
import org.minewatch.scan.Detectors;
import org.minewatch.scan.ScanReporter;
import org.minewatch.scan.ScanStats;
import org.minewatch.testkit.BehaviourTraffic;

/**
 * Where labelled examples come from: the generator of connections, and real captures through the
 * engine.
 */
final class ExampleSources {
  private ExampleSources() {}

  /**
   * {@code perKind} generated connections of every kind, those long enough to judge, each under its
   * own conditions: intervals × 0.5–3 and message sizes × 0.5–1.8 (log-uniform), so that the model
   * learns the shape rather than one pool's timing or one protocol's message sizes.
   */
  static List<Example> generated(int perKind, long seed) {
    return generated(perKind, seed, Double.NaN, Double.NaN, false);
  }

  static List<Example> generated(int perKind, long seed, boolean windows) {
    return generated(perKind, seed, Double.NaN, Double.NaN, windows);
  }

  /**
   * The same under fixed conditions: intervals × {@code timeScale}, sizes × {@code sizeScale} (NaN
   * for each connection's own draw).
   */
  static List<Example> generated(
      int perKind, long seed, double timeScale, double sizeScale, boolean windows) {
    Random r = new Random(seed);
    List<Example> out = new ArrayList<>();
    List<String> kinds = new ArrayList<>(BehaviourTraffic.MINING_KINDS);
    kinds.addAll(BehaviourTraffic.OTHER_KINDS);
    for (String kind : kinds) {
      for (int i = 0; i < perKind; i++) {
        double t =
            Double.isNaN(timeScale)
                ? Math.exp(Math.log(0.5) + r.nextDouble() * Math.log(6))
                : timeScale;
        double z =
            Double.isNaN(sizeScale)
                ? Math.exp(Math.log(0.5) + r.nextDouble() * Math.log(3.6))
                : sizeScale;
        BehaviourTraffic.LabelledFlow flow =
            BehaviourTraffic.generate(kind, r, 1_600_000_000_000_000_000L, t, z);
        String group = kind + "#" + i;
        // Judged as the engine judges it: at each checkpoint while open (with windows), then at its
        // end.
        FlowProfile profile = new FlowProfile();
        boolean kept = true;
        for (BehaviourTraffic.Packet p : flow.packets()) {
          if (profile.checkpointDue(p.nanos()) && windows && BehaviourFeatures.judgeable(profile)) {
            double[] x = BehaviourFeatures.of(profile);
            out.add(
                new Example(
                    kind,
                    flow.mining(),
                    x,
                    group,
                    (int) Math.round(profile.durationSeconds()),
                    BehaviourJudge.jobPushed(profile, x)));
          }
          if (!profile.add(p.fromClient(), p.bytes(), p.nanos())) {
            kept = false;
            break;
          }
        }
        if (kept && BehaviourFeatures.judgeable(profile)) {
          double[] x = BehaviourFeatures.of(profile);
          out.add(
              new Example(kind, flow.mining(), x, group, 0, BehaviourJudge.jobPushed(profile, x)));
        }
      }
    }
    return out;
  }

  /**
   * The encrypted or opaque connections of real captures that the engine profiles and could judge,
   * at their end (and with {@code windows} at each checkpoint while open): {@code kind} labels
   * them, and they are mining if {@code mining}. Each capture is its own group.
   */
  static List<Example> captured(Path dir, String kind, boolean mining, boolean windows)
      throws IOException {
    List<Example> out = new ArrayList<>();
    String[] current = {null};
    BehaviourJudge recorder =
        new BehaviourJudge(null) {
          @Override
          public boolean judge(Flow flow, FlowProfile profile, EvidenceSink sink, boolean ended) {
            if ((ended || windows) && BehaviourFeatures.judgeable(profile)) {
              double[] x = BehaviourFeatures.of(profile);
              out.add(
                  new Example(
                      kind,
                      mining,
                      x,
                      current[0],
                      ended ? 0 : (int) Math.round(profile.durationSeconds()),
                      BehaviourJudge.jobPushed(profile, x)));
            }
            return false;
          }
        };
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files =
          s.filter(Files::isRegularFile)
              .filter(
                  p -> {
                    String n = p.getFileName().toString();
                    return n.endsWith(".pcap") || n.endsWith(".pcapng") || n.endsWith(".cap");
                  })
              .sorted()
              .toList();
    }
    PoolCatalogue catalogue = PoolCatalogue.defaults();
    Intel intel = new Intel(catalogue, new AddressNames());
    for (Path f : files) {
      current[0] = dir.relativize(f).toString();
      Analyzer a =
          new Analyzer(
              Detectors.standard(intel),
              new EvidenceAggregator(n -> null),
              new ScanStats(),
              ScanReporter.SILENT,
              FlowTable.DEFAULT_MAX_FLOWS,
              recorder);
      a.startFile(f);
      try {
        CaptureFile.read(
            f,
            new CaptureListener() {
              @Override
              public void packet(Packet packet) {
                a.packet(packet);
              }

              @Override
              public void malformedRecord(
                  Path file, long recordNumber, long fileOffset, String reason) {}
            });
      } catch (IOException | RuntimeException e) {
        // A capture the engine cannot read gives no examples.
      }
      a.finish();
    }
    return out;
  }
}
