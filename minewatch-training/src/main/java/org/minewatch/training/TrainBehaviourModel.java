package org.minewatch.training;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.minewatch.detect.behaviour.BehaviourFeatures;
import org.minewatch.detect.behaviour.BehaviourJudge;
import org.minewatch.detect.behaviour.ForestModel;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.ensemble.EnsembleModel;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Trains the behaviour model and writes it where the core reads it:
 *
 * <pre>
 * ./mvnw -q -DskipTests install
 * java -cp minewatch-training/target/minewatch-training.jar org.minewatch.training.TrainBehaviourModel \
 *     [--per-kind 250] [--seed 1] [--corpus ../shared/corpus/ndpi/other] [--windows] [--real DIR] \
 *     [--benign DIR] [--miners DIR] [--evaluate ../shared/corpus/real-miners] [--out FILE]
 * </pre>
 *
 * Examples: connections of every kind of {@code BehaviourTraffic} (mining and not), the encrypted
 * connections of real captures of other protocols (not mining), and optionally real miner clients'
 * and real benign software's sessions ({@code --real DIR}: its {@code mining/} and {@code benign/}
 * captures), the project's recordings of real benign software ({@code --benign DIR}) and of real
 * miners ({@code --miners DIR}), each judged at its end and, with {@code --windows}, also at every
 * checkpoint while open, as the engine judges it. 70% of the groups (a generated connection, or one
 * real capture, with all its judgements) train a random forest of CART trees (Tribuo); the other
 * 30% are held out, and precision and recall on them are printed for the exported model, as the
 * core evaluates it. With {@code --evaluate DIR}, each of its real captures is judged window by
 * window by a model that never saw it (trained without it where it is among the examples). The
 * model written is trained on every group. Same seed, same data, same model.
 */
public final class TrainBehaviourModel {
  static final Path DEFAULT_OUT =
      Path.of(
          "minewatch-core/src/main/resources/org/minewatch/detect/behaviour/behaviour-model.txt");
  static final int TREES = 40;
  static final int DEPTH = 8;
  static final double THRESHOLD = 0.5;

  /** Held here so the level set on it stays: the logging framework keeps loggers only weakly. */
  private static final java.util.logging.Logger TRIBUO_LOG =
      java.util.logging.Logger.getLogger("org.tribuo");

  private TrainBehaviourModel() {}

  /** What a run produced: the model's text and the held-out results. */
  record Result(String model, Evaluation heldOut, int trainingExamples) {}

  /** Held-out counts, overall and per kind ({@code flagged} of {@code total}). */
  record Evaluation(
      long truePositives,
      long falsePositives,
      long falseNegatives,
      long trueNegatives,
      Map<String, long[]> byKind) {
    double precision() {
      return truePositives + falsePositives == 0
          ? 1
          : (double) truePositives / (truePositives + falsePositives);
    }

    double recall() {
      return truePositives + falseNegatives == 0
          ? 1
          : (double) truePositives / (truePositives + falseNegatives);
    }
  }

  public static void main(String[] args) throws IOException {
    TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
    int perKind = 250;
    long seed = 1;
    Path corpus = null;
    Path real = null;
    Path evaluate = null;
    Path benign = null;
    Path miners = null;
    boolean windows = false;
    Path out = DEFAULT_OUT;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--per-kind" -> perKind = Integer.parseInt(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--corpus" -> corpus = Path.of(args[++i]);
        case "--real" -> real = Path.of(args[++i]);
        case "--evaluate" -> evaluate = Path.of(args[++i]);
        case "--benign" -> benign = Path.of(args[++i]);
        case "--miners" -> miners = Path.of(args[++i]);
        case "--windows" -> windows = true;
        case "--out" -> out = Path.of(args[++i]);
        default -> {
          System.err.println(
              "usage: TrainBehaviourModel [--per-kind N] [--seed S] [--corpus DIR] [--windows] "
                  + "[--real DIR] [--benign DIR] [--miners DIR] [--evaluate DIR] [--out FILE]");
          System.exit(2);
        }
      }
    }
    List<Example> examples = examples(perKind, seed, corpus, real, benign, miners, windows);
    String header = header(perKind, seed, corpus, real, benign, miners, windows);
    Result r = train(examples, seed, header);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, r.model());
    System.out.println(report(r));
    System.out.println(
        shifted(
            ForestModel.read(
                new ByteArrayInputStream(r.model().getBytes(StandardCharsets.UTF_8)),
                "trained model"),
            seed));
    if (evaluate != null) {
      System.out.println(byCapture(examples, evaluate, benign, miners, r.model(), seed));
    }
    System.out.println("model written to " + out);
  }

  /** Every example the documented command trains on. */
  static List<Example> examples(
      int perKind, long seed, Path corpus, Path real, Path benign, Path miners, boolean windows)
      throws IOException {
    List<Example> examples = new ArrayList<>(ExampleSources.generated(perKind, seed, windows));
    if (corpus != null) {
      examples.addAll(ExampleSources.captured(corpus, "captured", false, windows));
    }
    if (real != null) {
      examples.addAll(
          ExampleSources.captured(real.resolve("mining"), "real-mining", true, windows));
      examples.addAll(
          ExampleSources.captured(real.resolve("benign"), "real-benign", false, windows));
    }
    if (benign != null) {
      examples.addAll(ExampleSources.captured(benign, "recorded-benign", false, windows));
    }
    if (miners != null) {
      examples.addAll(ExampleSources.captured(miners, "recorded-mining", true, windows));
    }
    return examples;
  }

  static String header(
      int perKind, long seed, Path corpus, Path real, Path benign, Path miners, boolean windows) {
    return "# MineWatch behaviour model: random forest of "
        + TREES
        + " CART trees (Tribuo 4.3.2), depth "
        + DEPTH
        + ".\n# Trained by: TrainBehaviourModel --per-kind "
        + perKind
        + " --seed "
        + seed
        + (corpus != null ? " --corpus " + corpus : "")
        + (windows ? " --windows" : "")
        + (real != null ? " --real " + real : "")
        + (benign != null ? " --benign " + benign : "")
        + (miners != null ? " --miners " + miners : "")
        + "\n";
  }

  /** Folds of the captures trained on, for judging each by a model that never saw it. */
  static final int FOLDS = 5;

  /**
   * Each real capture of {@code dir} ({@code mining/}, {@code benign/}) and of {@code benign} and
   * {@code miners} judged at every checkpoint and at its end by a model that never saw it: the
   * model given where the capture is not among the training examples, else one trained on all
   * examples but those of the capture's fold (captures trained on are split into {@value #FOLDS}
   * folds by name, so that each is held out once). A Markdown table.
   */
  static String byCapture(
      List<Example> training, Path dir, Path benign, Path miners, String model, long seed)
      throws IOException {
    List<Example> judged =
        new ArrayList<>(ExampleSources.captured(dir.resolve("mining"), "real-mining", true, true));
    judged.addAll(ExampleSources.captured(dir.resolve("benign"), "real-benign", false, true));
    if (benign != null) {
      judged.addAll(ExampleSources.captured(benign, "recorded-benign", false, true));
    }
    if (miners != null) {
      judged.addAll(ExampleSources.captured(miners, "recorded-mining", true, true));
    }
    ForestModel given =
        ForestModel.read(new ByteArrayInputStream(model.getBytes(StandardCharsets.UTF_8)), "model");
    java.util.Set<String> trainedOn =
        new java.util.HashSet<>(training.stream().map(Example::group).toList());
    List<String> captures = judged.stream().map(Example::group).distinct().sorted().toList();
    List<String> heldOutOnce = captures.stream().filter(trainedOn::contains).toList();
    Map<String, Integer> fold = new TreeMap<>();
    for (int i = 0; i < heldOutOnce.size(); i++) {
      fold.put(heldOutOnce.get(i), i % FOLDS);
    }
    ForestModel[] withoutFold = new ForestModel[FOLDS];
    for (int f = 0; f < FOLDS && !heldOutOnce.isEmpty(); f++) {
      int k = f;
      java.util.Set<String> out = new java.util.HashSet<>();
      fold.forEach(
          (c, x) -> {
            if (x == k) {
              out.add(c);
            }
          });
      withoutFold[f] =
          ForestModel.read(
              new ByteArrayInputStream(
                  fit(training.stream().filter(e -> !out.contains(e.group())).toList(), seed, "")
                      .getBytes(StandardCharsets.UTF_8)),
              "model without fold " + f);
    }
    StringBuilder b =
        new StringBuilder(
            "| capture | label | 30 s | 60 s | 2 min | 5 min | end | first flagged |\n"
                + "|---|---|---|---|---|---|---|---|\n");
    for (String c : captures) {
      List<Example> mine = judged.stream().filter(e -> e.group().equals(c)).toList();
      ForestModel m = fold.containsKey(c) ? withoutFold[fold.get(c)] : given;
      StringBuilder row =
          new StringBuilder("| " + c + " | " + (mine.get(0).mining() ? "mining" : "benign"));
      for (int w : new int[] {30, 60, 120, 300}) {
        row.append(" | ").append(verdicts(m, mine, w));
      }
      row.append(" | ").append(verdicts(m, mine, 0));
      // Flagged with no job pushed yet the engine says suspect; with one, likely.
      String suspect = null;
      String likely = null;
      for (Example e : mine) {
        if (BehaviourJudge.flags(m, e.features())) {
          String when = e.window() == 0 ? "at its end" : "after " + e.window() + " s";
          if (e.pushed()) {
            likely = likely == null ? when : likely;
          } else {
            suspect = suspect == null ? when : suspect;
          }
        }
      }
      String first =
          likely == null && suspect == null
              ? "never"
              : (suspect != null ? "suspect " + suspect : "")
                  + (suspect != null && likely != null ? ", " : "")
                  + (likely != null ? "likely " + likely : "");
      b.append(row).append(" | ").append(first).append(" |\n");
    }
    return b.toString();
  }

  /**
   * At one window: how many of the capture's connections judged there were flagged, of how many.
   */
  private static String verdicts(ForestModel m, List<Example> mine, int window) {
    List<Example> at =
        mine.stream()
            .filter(
                e ->
                    window == 0
                        ? e.window() == 0
                        : e.window() >= window && e.window() < window + 30)
            .toList();
    if (at.isEmpty()) {
      return "—";
    }
    long flagged = at.stream().filter(e -> BehaviourJudge.flags(m, e.features())).count();
    long suspect =
        at.stream().filter(e -> BehaviourJudge.flags(m, e.features()) && !e.pushed()).count();
    double top = at.stream().mapToDouble(e -> m.score(e.features(), null)).max().orElse(0);
    return String.format(Locale.ROOT, "%d/%d (%.2f)", flagged, at.size(), top)
        + (suspect == 0 ? "" : suspect == flagged ? " S" : " " + suspect + " S");
  }

  static Result train(List<Example> examples, long seed, String header) throws IOException {
    // Split by group: a connection's (or a capture's) judgements at several windows are all on one
    // side.
    List<String> groups =
        new ArrayList<>(examples.stream().map(Example::group).distinct().sorted().toList());
    Collections.shuffle(groups, new Random(seed + 1));
    java.util.Set<String> heldGroups = new java.util.HashSet<>();
    for (int i = 0; i < groups.size(); i++) {
      if (i % 10 < 3) {
        heldGroups.add(groups.get(i));
      }
    }
    List<Example> training =
        examples.stream().filter(e -> !heldGroups.contains(e.group())).toList();
    List<Example> heldOut = examples.stream().filter(e -> heldGroups.contains(e.group())).toList();
    ForestModel split =
        ForestModel.read(
            new ByteArrayInputStream(fit(training, seed, header).getBytes(StandardCharsets.UTF_8)),
            "trained model");
    // The model shipped learns from every group; the figures above are those of the model that did
    // not see them.
    String text = fit(examples, seed, header);
    return new Result(text, evaluate(split, heldOut), training.size());
  }

  /** A forest trained on the examples, exported as the core reads it. */
  static String fit(List<Example> training, long seed, String header) {
    LabelFactory labels = new LabelFactory();
    MutableDataset<Label> data =
        new MutableDataset<>(new SimpleDataSourceProvenance("minewatch behaviour", labels), labels);
    String[] names = BehaviourFeatures.NAMES.toArray(new String[0]);
    for (Example e : training) {
      for (int i = 0; i < e.weight(); i++) {
        data.add(
            new ArrayExample<>(
                new Label(e.mining() ? ForestExport.MINING : "other"), names, e.features()));
      }
    }
    CARTClassificationTrainer cart = new CARTClassificationTrainer(DEPTH, 0.5f, seed);
    RandomForestTrainer<Label> forest =
        new RandomForestTrainer<>(cart, new VotingCombiner(), TREES, seed);
    EnsembleModel<Label> model = forest.train(data);
    return ForestExport.export(model, training, THRESHOLD, header);
  }

  static Evaluation evaluate(ForestModel model, List<Example> examples) {
    long tp = 0;
    long fp = 0;
    long fn = 0;
    long tn = 0;
    Map<String, long[]> byKind = new TreeMap<>();
    for (Example e : examples) {
      boolean flagged = BehaviourJudge.flags(model, e.features());
      long[] k = byKind.computeIfAbsent(e.kind(), x -> new long[2]);
      k[0] += flagged ? 1 : 0;
      k[1]++;
      if (e.mining()) {
        tp += flagged ? 1 : 0;
        fn += flagged ? 0 : 1;
      } else {
        fp += flagged ? 1 : 0;
        tn += flagged ? 0 : 1;
      }
    }
    return new Evaluation(tp, fp, fn, tn, byKind);
  }

  /**
   * The model under conditions it was not trained on: every interval of every kind slower or
   * faster, every message larger or smaller. 60 fresh connections per kind and condition.
   */
  static String shifted(ForestModel model, long seed) {
    double[][] conditions = {
      {1, 1}, {0.5, 1}, {2, 1}, {4, 1}, {1, 0.4}, {1, 0.6}, {1, 1.6}, {1, 2.5}, {4, 0.4}
    };
    StringBuilder b =
        new StringBuilder(
            "| intervals × | sizes × | mining recall | false positives |\n|---|---|---|---|\n");
    for (double[] c : conditions) {
      Evaluation e = evaluate(model, ExampleSources.generated(60, seed + 1000, c[0], c[1], false));
      b.append(
          String.format(
              Locale.ROOT,
              "| %.1f | %.1f | %.3f (%d of %d) | %.3f (%d of %d) |%n",
              c[0],
              c[1],
              e.recall(),
              e.truePositives(),
              e.truePositives() + e.falseNegatives(),
              (double) e.falsePositives() / Math.max(1, e.falsePositives() + e.trueNegatives()),
              e.falsePositives(),
              e.falsePositives() + e.trueNegatives()));
    }
    return b.toString();
  }

  static String report(Result r) {
    Evaluation e = r.heldOut();
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "training examples: %d; held out: %d%n",
            r.trainingExamples(),
            e.truePositives() + e.falsePositives() + e.falseNegatives() + e.trueNegatives()));
    b.append(
        String.format(
            Locale.ROOT,
            "held-out precision %.3f, recall %.3f (TP %d, FP %d, FN %d, TN %d)%n",
            e.precision(),
            e.recall(),
            e.truePositives(),
            e.falsePositives(),
            e.falseNegatives(),
            e.trueNegatives()));
    b.append("| kind | held out | judged mining |\n|---|---|---|\n");
    for (var k : e.byKind().entrySet()) {
      b.append("| ")
          .append(k.getKey())
          .append(" | ")
          .append(k.getValue()[1])
          .append(" | ")
          .append(k.getValue()[0])
          .append(" |\n");
    }
    return b.toString();
  }
}
