package org.minewatch.training;

/**
 * One judgement of a connection: where it came from ({@code kind}: a generated kind, or the real
 * capture's label), whether it is mining, its features, the group it belongs to (a generated
 * connection, or a real capture: examples of one group are never split between training and
 * evaluation), and when it was judged ({@code window}: the checkpoint in seconds while the
 * connection was open, or 0 when it ended), and whether a job had been pushed by then (what
 * separates {@code likely} from {@code suspect}: {@code BehaviourJudge.jobPushed}).
 */
record Example(
    String kind, boolean mining, double[] features, String group, int window, boolean pushed) {
  /**
   * How many times this judgement counts in training (and in the leaves' shares of mining): a real
   * capture's many times over, since a few dozen of them against thousands generated would
   * otherwise leave the trees shaped by the generator alone.
   */
  int weight() {
    return kind.startsWith("real-") ? 20 : 1;
  }
}
