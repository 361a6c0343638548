package org.minewatch.flow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamBudgetTest {
  private final StreamBudget budget = new StreamBudget(3 * 512);
  private int nextId = 1;

  private Flow flow() {
    int id = nextId++;
    Flow f = new Flow(id, 0, 0x0a000001L, 40000 + id, 0, 0x0a000002L, 8333, 6, id);
    f.budget = budget;
    return f;
  }

  /** Adds {@code n} bytes in order to the flow's A-side stream. */
  private static int add(Flow f, int n) {
    StreamBuffer s = f.stream(true);
    return s.add((int) s.delivered(), new byte[n], 0, n);
  }

  @Test
  void aFullBudgetReleasesTheOldestUnclaimedFlowsNeverAClaimedOneAndRefusesWhatCannotFit() {
    Flow a = flow();
    Flow b = flow();
    Flow c = flow();
    assertThat(add(a, 100)).isEqualTo(100); // 512 bytes each: the budget is full
    assertThat(add(b, 100)).isEqualTo(100);
    assertThat(add(c, 100)).isEqualTo(100);
    assertThat(budget.reserved()).isEqualTo(1536);

    Flow d = flow();
    assertThat(add(d, 100)).isEqualTo(100); // a, the oldest, makes room
    assertThat(a.stage()).isEqualTo(Flow.Stage.COUNTING);
    assertThat(a.existingStream(true)).isNull();

    b.claimed = true;
    Flow e = flow();
    assertThat(add(e, 100)).isEqualTo(100); // b is claimed now: c goes
    assertThat(c.stage()).isEqualTo(Flow.Stage.COUNTING);
    assertThat(b.stage()).isEqualTo(Flow.Stage.INSPECTING);

    assertThat(add(b, 600)).isEqualTo(600); // b grows to 1,024 bytes: d goes
    assertThat(d.stage()).isEqualTo(Flow.Stage.COUNTING);

    // b would need 2,048 bytes: releasing e leaves 1,024 + 512 free at most, so the segment is
    // refused.
    assertThat(add(b, 1000)).isEqualTo(StreamBuffer.REFUSED);
    assertThat(e.stage()).isEqualTo(Flow.Stage.COUNTING);
    assertThat(b.existingStream(true).length()).isEqualTo(700);
    assertThat(b.existingStream(true).gaps()).isEqualTo(1);
    assertThat(b.existingStream(true).delivered())
        .isEqualTo(1700); // the stream goes on after the gap

    assertThat(budget.flowsCut()).isEqualTo(4);
    assertThat(budget.bytesNotInspected()).isEqualTo(4 * 100 + 1000);
    assertThat(budget.peak()).isEqualTo(1536);
    assertThat(budget.reserved()).isEqualTo(1024);
    b.releaseStreams();
    assertThat(budget.reserved()).isZero();
  }

  @Test
  void segmentsHeldOutOfOrderAreChargedAndGivenBack() {
    Flow a = flow();
    StreamBuffer s = a.stream(true);
    s.synchronize(999); // the first byte is 1,000
    assertThat(s.add(1100, new byte[200], 0, 200)).isZero(); // held: a 100-byte hole before it
    assertThat(budget.reserved()).isEqualTo(StreamBuffer.PENDING_INDEX_BYTES + 200);
    assertThat(s.add(1000, new byte[100], 0, 100)).isEqualTo(300); // the hole filled: 300 in order
    assertThat(budget.reserved()).isEqualTo(StreamBuffer.PENDING_INDEX_BYTES + 512);
    a.releaseStreams();
    assertThat(budget.reserved()).isZero();
  }

  @Test
  void aReleasedArrayIsReusedByTheNextBufferAndStaysChargedOnlyWhileInUse() {
    Flow a = flow();
    add(a, 100);
    byte[] array = a.existingStream(true).data();
    a.releaseStreams();
    assertThat(budget.reserved()).isZero();

    Flow b = flow();
    assertThat(add(b, 300)).isEqualTo(300);
    assertThat(b.existingStream(true).data()).isSameAs(array); // no new 512-byte array
    assertThat(budget.reserved()).isEqualTo(512);

    assertThat(add(b, 300)).isEqualTo(300); // grows to 1,024 bytes: its 512 go back to the pool
    Flow c = flow();
    add(c, 1);
    assertThat(c.existingStream(true).data()).isSameAs(array);
    assertThat(budget.reserved()).isEqualTo(1024 + 512);
  }

  @Test
  void thePoolOfReleasedArraysIsBounded() {
    StreamBudget unlimited = StreamBudget.unlimited();
    StreamBuffer[] buffers = new StreamBuffer[StreamBudget.POOLED_PER_SIZE + 10];
    for (int i = 0; i < buffers.length; i++) {
      buffers[i] = new StreamBuffer(unlimited, null);
      buffers[i].add(0, new byte[16 * 1024], 0, 16 * 1024);
    }
    for (StreamBuffer s : buffers) {
      s.release();
    }
    assertThat(unlimited.pooledBytes()).isEqualTo(StreamBudget.POOLED_PER_SIZE * 16L * 1024);
    assertThat(unlimited.reserved()).isZero();
  }
}
