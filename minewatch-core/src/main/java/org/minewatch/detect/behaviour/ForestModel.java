package org.minewatch.detect.behaviour;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A forest of binary decision trees exported from the trainer (Tribuo's random forest; see {@code
 * minewatch-training}) as text, evaluated here without the library. The score is the mean over
 * trees of the leaf's share of mining examples. Contributions per feature follow each path from
 * root to leaf (the change in the node's share at each split, credited to the split's feature), so
 * a finding can say which features decided it.
 *
 * <p>Format: {@code features NAME,...}, {@code threshold T}, then per tree a line {@code tree} and
 * its nodes in pre-order: {@code S FEATURE THRESHOLD SHARE} (a split; values at or below the
 * threshold go to the first subtree) or {@code L SHARE}. '#' starts a comment.
 */
public final class ForestModel {
  private final List<String> features;
  private final double threshold;
  private final Tree[] trees;

  /** One tree in arrays: feature −1 marks a leaf. */
  private record Tree(int[] feature, double[] split, double[] share, int[] low, int[] high) {}

  private ForestModel(List<String> features, double threshold, Tree[] trees) {
    this.features = features;
    this.threshold = threshold;
    this.trees = trees;
  }

  /** The model shipped with MineWatch. */
  public static ForestModel builtIn() {
    try (InputStream in = ForestModel.class.getResourceAsStream("behaviour-model.txt")) {
      if (in == null) {
        throw new IllegalStateException("behaviour-model.txt is missing from the build");
      }
      return read(in, "behaviour-model.txt");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static ForestModel read(InputStream in, String source) throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    List<String> names = null;
    double threshold = 0.5;
    List<Tree> trees = new ArrayList<>();
    List<String[]> nodes = null;
    String line;
    int n = 0;
    while ((line = r.readLine()) != null) {
      n++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      String[] w = t.split("\\s+");
      switch (w[0]) {
        case "features" -> names = List.of(w[1].split(","));
        case "threshold" -> threshold = Double.parseDouble(w[1]);
        case "tree" -> {
          if (nodes != null) {
            trees.add(build(nodes, source));
          }
          nodes = new ArrayList<>();
        }
        case "S", "L" -> {
          if (nodes == null) {
            throw new IOException(source + ": line " + n + ": a node before any 'tree' line");
          }
          nodes.add(w);
        }
        default -> throw new IOException(source + ": line " + n + ": unknown line: " + t);
      }
    }
    if (nodes != null) {
      trees.add(build(nodes, source));
    }
    if (names == null || trees.isEmpty()) {
      throw new IOException(source + ": no features line or no trees");
    }
    if (!names.equals(BehaviourFeatures.NAMES)) {
      throw new IOException(
          source
              + ": trained on features "
              + names
              + ", this build computes "
              + BehaviourFeatures.NAMES);
    }
    return new ForestModel(names, threshold, trees.toArray(new Tree[0]));
  }

  private static Tree build(List<String[]> nodes, String source) throws IOException {
    int size = nodes.size();
    int[] feature = new int[size];
    double[] split = new double[size];
    double[] share = new double[size];
    int[] low = new int[size];
    int[] high = new int[size];
    int[] next = {0};
    buildNode(nodes, next, feature, split, share, low, high, source);
    if (next[0] != size) {
      throw new IOException(
          source + ": a tree has " + (size - next[0]) + " nodes that no split reaches");
    }
    return new Tree(feature, split, share, low, high);
  }

  private static int buildNode(
      List<String[]> nodes,
      int[] next,
      int[] feature,
      double[] split,
      double[] share,
      int[] low,
      int[] high,
      String source)
      throws IOException {
    if (next[0] >= nodes.size()) {
      throw new IOException(source + ": a tree ends inside a split");
    }
    int i = next[0]++;
    String[] w = nodes.get(i);
    if (w[0].equals("L")) {
      feature[i] = -1;
      share[i] = Double.parseDouble(w[1]);
      return i;
    }
    feature[i] = Integer.parseInt(w[1]);
    split[i] = Double.parseDouble(w[2]);
    share[i] = Double.parseDouble(w[3]);
    if (feature[i] < 0 || feature[i] >= BehaviourFeatures.NAMES.size()) {
      throw new IOException(
          source + ": split on feature " + feature[i] + " of " + BehaviourFeatures.NAMES.size());
    }
    low[i] = buildNode(nodes, next, feature, split, share, low, high, source);
    high[i] = buildNode(nodes, next, feature, split, share, low, high, source);
    return i;
  }

  public double threshold() {
    return threshold;
  }

  public List<String> features() {
    return features;
  }

  /**
   * The score in [0, 1]; {@code contributions}, if not null, receives each feature's part of it.
   */
  public double score(double[] x, double[] contributions) {
    if (contributions != null) {
      Arrays.fill(contributions, 0);
    }
    double sum = 0;
    for (Tree t : trees) {
      int node = 0;
      while (t.feature()[node] >= 0) {
        int f = t.feature()[node];
        int child = x[f] <= t.split()[node] ? t.low()[node] : t.high()[node];
        if (contributions != null) {
          contributions[f] += (t.share()[child] - t.share()[node]) / trees.length;
        }
        node = child;
      }
      sum += t.share()[node];
    }
    return sum / trees.length;
  }
}
