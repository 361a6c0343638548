package org.minewatch.training;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.minewatch.detect.behaviour.BehaviourFeatures;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.common.tree.LeafNode;
import org.tribuo.common.tree.Node;
import org.tribuo.common.tree.SplitNode;
import org.tribuo.common.tree.TreeModel;
import org.tribuo.ensemble.EnsembleModel;

/**
 * Writes a Tribuo random forest in the text form {@code ForestModel} reads. Each node's share of
 * mining is counted from the training examples that reach it, so that the per-feature contributions
 * along a path add up to the score; a leaf no training example reaches keeps Tribuo's own
 * distribution.
 */
final class ForestExport {
  static final String MINING = "mining";

  private ForestExport() {}

  static String export(
      EnsembleModel<Label> forest, List<Example> training, double threshold, String header) {
    StringBuilder out = new StringBuilder(header);
    out.append("features ").append(String.join(",", BehaviourFeatures.NAMES)).append('\n');
    out.append(String.format(Locale.ROOT, "threshold %.3f%n", threshold));
    for (Model<Label> member : forest.getModels()) {
      TreeModel<Label> tree = (TreeModel<Label>) member;
      Map<Node<Label>, long[]> counts = new IdentityHashMap<>();
      for (Example e : training) {
        Node<Label> node = tree.getRoot();
        while (true) {
          counts.computeIfAbsent(node, k -> new long[2])[e.mining() ? 1 : 0] += e.weight();
          if (node.isLeaf()) {
            break;
          }
          SplitNode<Label> s = (SplitNode<Label>) node;
          node =
              e.features()[index(tree, s)] <= s.splitValue()
                  ? s.getLessThanOrEqual()
                  : s.getGreaterThan();
        }
      }
      out.append("tree\n");
      write(tree, tree.getRoot(), counts, out);
    }
    return out.toString();
  }

  private static int index(TreeModel<Label> tree, SplitNode<Label> s) {
    String name = tree.getFeatureIDMap().get(s.getFeatureID()).getName();
    int i = BehaviourFeatures.NAMES.indexOf(name);
    if (i < 0) {
      throw new IllegalStateException("the forest splits on an unknown feature " + name);
    }
    return i;
  }

  private static void write(
      TreeModel<Label> tree, Node<Label> node, Map<Node<Label>, long[]> counts, StringBuilder out) {
    long[] c = counts.get(node);
    double share;
    if (c != null && c[0] + c[1] > 0) {
      share = (double) c[1] / (c[0] + c[1]);
    } else if (node instanceof LeafNode<Label> leaf) {
      Label m = leaf.getDistribution().get(MINING);
      share = m == null ? 0 : m.getScore();
    } else {
      share = 0;
    }
    if (node.isLeaf()) {
      out.append(String.format(Locale.ROOT, "L %.4f%n", share));
      return;
    }
    SplitNode<Label> s = (SplitNode<Label>) node;
    out.append(
        String.format(
            Locale.ROOT, "S %d %s %.4f%n", index(tree, s), Double.toString(s.splitValue()), share));
    write(tree, s.getLessThanOrEqual(), counts, out);
    write(tree, s.getGreaterThan(), counts, out);
  }
}
