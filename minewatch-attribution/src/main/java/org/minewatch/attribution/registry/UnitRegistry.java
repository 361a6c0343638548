package org.minewatch.attribution.registry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import org.minewatch.attribution.Notices;
import org.minewatch.attribution.Shown;
import org.minewatch.model.IpAddress;

/**
 * Address ranges and the units holding them; a lookup returns the unit of the most specific range
 * that contains the address (longest prefix; for ranges written first-last, the narrowest). Ranges
 * must nest or be disjoint: a range that partly overlaps another, or repeats one for a different
 * unit, is refused when the registry is built, with both lines named.
 *
 * <p>Lookups use disjoint segments in sorted arrays (binary search, no allocation).
 */
public final class UnitRegistry {
  private final long[] startHi;
  private final long[] startLo;
  private final long[] endHi;
  private final long[] endLo;
  private final Allocation[] owner;
  private final List<Allocation> allocations;
  private final List<String> notes;

  // Kinds of notes, as the line counting those beyond the first few names them.
  private static final String REPEAT =
      "ranges that repeat an earlier one of the same unit; ignored";
  private static final String CONFLICT =
      "ranges already given to another unit: conflicts, not imported";
  private static final String OVERLAP =
      "ranges that overlap another without either containing the other: not imported";
  private static final String NESTED =
      "ranges inside another: their addresses belong to the more specific range";

  private UnitRegistry(
      List<long[]> segments,
      List<Allocation> owners,
      List<Allocation> allocations,
      List<String> notes) {
    int n = segments.size();
    startHi = new long[n];
    startLo = new long[n];
    endHi = new long[n];
    endLo = new long[n];
    owner = owners.toArray(new Allocation[0]);
    for (int i = 0; i < n; i++) {
      long[] s = segments.get(i);
      startHi[i] = s[0];
      startLo[i] = s[1];
      endHi[i] = s[2];
      endLo[i] = s[3];
    }
    this.allocations = List.copyOf(allocations);
    this.notes = List.copyOf(notes);
  }

  public static UnitRegistry empty() {
    return build(List.of());
  }

  /**
   * Builds the registry from imported lines. Lines that conflict are left out; {@link #notes()}
   * says which and why, and which ranges nest inside others.
   */
  public static UnitRegistry build(List<Allocation> lines) {
    List<Allocation> sorted = new ArrayList<>(lines);
    sorted.sort(
        Comparator.comparing(Allocation::range)
            .thenComparingLong(Allocation::line)
            .thenComparingInt(Allocation::column));
    Notices notes = new Notices("");
    List<Allocation> kept = new ArrayList<>();
    Deque<Allocation> open = new ArrayDeque<>();
    for (Allocation a : sorted) {
      while (!open.isEmpty() && open.peek().range().last().compareTo(a.range().first()) < 0) {
        open.pop();
      }
      Allocation outer = open.peek();
      if (outer != null) {
        if (outer.range().equals(a.range())) {
          if (outer.unit().equals(a.unit())) {
            notes.add(
                REPEAT,
                () ->
                    a.where() + ": range " + a.range() + " repeats " + outer.where() + "; ignored");
          } else {
            notes.add(
                CONFLICT,
                () ->
                    a.where()
                        + ": range "
                        + a.range()
                        + " is already "
                        + outer.where()
                        + "'s ("
                        + Shown.value(outer.unit().name())
                        + "), here given to "
                        + Shown.value(a.unit().name())
                        + ": conflict, not imported");
          }
          continue;
        }
        if (!outer.range().encloses(a.range())) {
          notes.add(
              OVERLAP,
              () ->
                  a.where()
                      + ": range "
                      + a.range()
                      + " overlaps "
                      + outer.where()
                      + "'s "
                      + outer.range()
                      + " without either containing the other: not imported");
          continue;
        }
        notes.add(
            NESTED,
            () ->
                a.where()
                    + ": range "
                    + a.range()
                    + " lies inside "
                    + outer.where()
                    + "'s "
                    + outer.range()
                    + ": its addresses belong to "
                    + Shown.value(a.unit().name())
                    + " (the more specific range)");
      }
      open.push(a);
      kept.add(a);
    }
    // Paint the laminar ranges into disjoint segments, each owned by its innermost range.
    List<long[]> segments = new ArrayList<>();
    List<Allocation> owners = new ArrayList<>();
    Deque<Allocation> stack = new ArrayDeque<>();
    IpAddress cursor = null;
    for (Allocation a : kept) {
      while (!stack.isEmpty() && stack.peek().range().last().compareTo(a.range().first()) < 0) {
        Allocation done = stack.pop();
        cursor = emit(segments, owners, cursor, done.range().last(), done);
      }
      if (!stack.isEmpty() && cursor != null && cursor.compareTo(a.range().first()) < 0) {
        emit(segments, owners, cursor, previous(a.range().first()), stack.peek());
      }
      cursor = a.range().first();
      stack.push(a);
    }
    while (!stack.isEmpty()) {
      Allocation done = stack.pop();
      cursor = emit(segments, owners, cursor, done.range().last(), done);
    }
    return new UnitRegistry(segments, owners, kept, notes.lines());
  }

  /** Emits [from, to] for {@code a} if not empty; returns the address after {@code to}. */
  private static IpAddress emit(
      List<long[]> segments, List<Allocation> owners, IpAddress from, IpAddress to, Allocation a) {
    if (from != null && from.compareTo(to) <= 0) {
      segments.add(new long[] {from.hi(), from.lo(), to.hi(), to.lo()});
      owners.add(a);
    }
    return next(to);
  }

  private static IpAddress next(IpAddress a) {
    long lo = a.lo() + 1;
    long hi = lo == 0 ? a.hi() + 1 : a.hi();
    return new IpAddress(hi, lo);
  }

  private static IpAddress previous(IpAddress a) {
    long lo = a.lo() - 1;
    long hi = a.lo() == 0 ? a.hi() - 1 : a.hi();
    return new IpAddress(hi, lo);
  }

  /** The allocation whose range most specifically contains {@code address}, or null. */
  public Allocation lookup(IpAddress address) {
    long hi = address.hi();
    long lo = address.lo();
    int low = 0;
    int high = owner.length - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int c = compare(startHi[mid], startLo[mid], hi, lo);
      if (c > 0) {
        high = mid - 1;
      } else if (compare(endHi[mid], endLo[mid], hi, lo) < 0) {
        low = mid + 1;
      } else {
        return owner[mid];
      }
    }
    return null;
  }

  private static int compare(long aHi, long aLo, long bHi, long bLo) {
    int c = Long.compareUnsigned(aHi, bHi);
    return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
  }

  /** The lines imported. */
  public List<Allocation> allocations() {
    return allocations;
  }

  /**
   * Nested ranges, repeats and conflicts, each with its lines: the first {@link
   * Notices#SHOWN_PER_KIND} of each kind, then a line per kind counting the others.
   */
  public List<String> notes() {
    return notes;
  }
}
