package org.minewatch.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.minewatch.intel.AddressNames;
import org.minewatch.model.IpAddress;

class WorkerPositionsTest {
  /** An input order where every thread stands at {@code at}, with nobody behind. */
  private static AddressNames.InputOrder at(AtomicLong at) {
    return new AddressNames.InputOrder() {
      @Override
      public long position() {
        return at.get();
      }

      @Override
      public long awaitEarlier() {
        return at.get();
      }
    };
  }

  @Test
  void aNameIsSeenOnlyByPacketsAfterTheAnswerThatGaveIt() {
    AtomicLong at = new AtomicLong();
    AddressNames names = new AddressNames(16, at(at));
    IpAddress pool = IpAddress.parse("203.0.113.90");
    at.set(10);
    names.put(pool, "xmr-eu1.nanopool.org");
    at.set(7); // a worker that is behind: its packet came before the answer
    assertThat(names.nameOf(pool)).isNull();
    at.set(10); // the answer's own packet
    assertThat(names.nameOf(pool)).isNull();
    at.set(11);
    assertThat(names.nameOf(pool)).isEqualTo("xmr-eu1.nanopool.org");
  }

  @Test
  void answersPutOutOfInputOrderTakeTheirPlaceInIt() {
    AtomicLong at = new AtomicLong();
    AddressNames names = new AddressNames(16, at(at));
    IpAddress pool = IpAddress.parse("203.0.113.90");
    at.set(20);
    names.put(pool, "pool.example-a.org"); // a worker ahead puts the later answer first
    at.set(30);
    names.put(pool, "pool.example-b.org");
    at.set(10);
    names.put(pool, "pool.example-a.org"); // the earlier answer, from a worker behind
    at.set(15);
    assertThat(names.nameOf(pool)).isEqualTo("pool.example-a.org");
    at.set(25);
    assertThat(names.nameOf(pool)).isEqualTo("pool.example-a.org");
    at.set(31);
    assertThat(names.nameOf(pool)).isEqualTo("pool.example-b.org");
    at.set(5);
    assertThat(names.nameOf(pool)).isNull();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a wait that never ends is the defect here
  void aReaderWaitsForTheWorkerThatHasNotPassedTheLastPacketThatCouldWrite() throws Exception {
    WorkerPositions positions = new WorkerPositions(3);
    positions.advance(1, 3); // worker 1 has done its packets before 3 only
    positions.advance(2, 100);
    CompletableFuture<Long> read = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              WorkerPositions.Slot self = positions.enter(0);
              // At packet 9; packet 5 could have added a name, and it may be worker 1's.
              positions.advance(self, 9, 5);
              read.complete(positions.awaitEarlier());
            });
    reader.start();
    // The reader parks while worker 1 is behind packet 5.
    while (reader.getState() != Thread.State.TIMED_WAITING) {
      Thread.onSpinWait();
    }
    positions.advance(1, 5); // still not past it
    assertThat(read).isNotDone();
    positions.advance(1, 6);
    assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo(9);
    reader.join();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // waiting here would be the defect: fail, not hang
  void aReaderWithNoEarlierWriterDoesNotWait() {
    WorkerPositions positions = new WorkerPositions(2);
    positions.advance(1, 0); // far behind
    WorkerPositions.Slot self = positions.enter(0);
    positions.advance(self, 50, -1);
    assertThat(positions.awaitEarlier()).isEqualTo(50);
  }
}
