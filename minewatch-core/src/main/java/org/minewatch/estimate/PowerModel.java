package org.minewatch.estimate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.minewatch.io.DataLines;
import org.minewatch.model.Algorithm;

/**
 * Power from hash rate: rate × energy per unit of work, by algorithm and hardware class, times the
 * power usage effectiveness of the site. The table is a CSV file (see {@code
 * power-efficiency.csv}); a user's own table replaces the shipped one.
 */
public final class PowerModel {
  /** PUE of a single host; farms (operations over many hosts) use {@link #FARM_PUE}. */
  public static final double HOST_PUE = 1.0;

  public static final double FARM_PUE = 1.1;

  /** One row: joules per unit of work (a hash or a solution). */
  public record Efficiency(
      Algorithm algorithm,
      String hardware,
      double low,
      double best,
      double high,
      String unit,
      String basis) {}

  private static final List<String> GPU_MINERS =
      List.of(
          "ethminer",
          "claymore",
          "phoenixminer",
          "nbminer",
          "t-rex",
          "gminer",
          "lolminer",
          "teamredminer",
          "bminer",
          "ewbf",
          "nanominer",
          "wildrig",
          "ccminer",
          "sgminer",
          "nheqminer",
          "excavator");
  private static final List<String> CPU_MINERS = List.of("xmrig", "xmr-stak", "cpuminer", "minerd");
  private static final List<String> ASIC_MINERS =
      List.of(
          "bmminer",
          "cgminer",
          "bfgminer",
          "btcagent",
          "bosminer",
          "braiins",
          "whatsminer",
          "avalon",
          "antminer");

  private final List<Efficiency> rows;

  private PowerModel(List<Efficiency> rows) {
    this.rows = List.copyOf(rows);
  }

  public List<Efficiency> rows() {
    return rows;
  }

  /** The table shipped with MineWatch. */
  public static PowerModel defaults() {
    try (InputStream in = PowerModel.class.getResourceAsStream("power-efficiency.csv")) {
      return parse(in, "power-efficiency.csv (built in)");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static PowerModel load(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(in, file.toString());
    }
  }

  /**
   * Reads the CSV table: {@code algorithm,hardware,low,best,high,unit,basis}; '#' starts a comment.
   *
   * @throws IllegalArgumentException naming the source and line of the first bad row
   */
  public static PowerModel parse(InputStream in, String source) throws IOException {
    List<Efficiency> rows = new ArrayList<>();
    DataLines.read(
        in,
        source,
        7,
        f -> {
          if (f.length < 6) {
            throw new IllegalArgumentException(
                "expected algorithm,hardware,low,best,high,unit[,basis]");
          }
          double scale = unitScale(f[5].strip());
          double low = Double.parseDouble(f[2].strip()) * scale;
          double best = Double.parseDouble(f[3].strip()) * scale;
          double high = Double.parseDouble(f[4].strip()) * scale;
          if (!(low > 0 && low <= best && best <= high)) {
            throw new IllegalArgumentException("needs 0 < low <= best <= high");
          }
          rows.add(
              new Efficiency(
                  Algorithm.fromLabel(f[0].strip().toLowerCase(Locale.ROOT)),
                  f[1].strip(),
                  low,
                  best,
                  high,
                  f[5].strip(),
                  f.length > 6 ? f[6].strip() : ""));
        });
    return new PowerModel(rows);
  }

  /** Joules per unit of work from "J/TH", "J/GH", "J/MH", "J/kH", "J/H", "J/Sol", "J/kSol". */
  static double unitScale(String unit) {
    return switch (unit) {
      case "J/TH" -> 1e-12;
      case "J/GH" -> 1e-9;
      case "J/MH" -> 1e-6;
      case "J/kH" -> 1e-3;
      case "J/H", "J/Sol" -> 1;
      case "J/kSol" -> 1e-3;
      default -> throw new IllegalArgumentException("unknown unit " + unit);
    };
  }

  /** The hardware class a miner program runs on, or null if its name does not tell. */
  public static String hardwareOf(String agent) {
    if (agent == null) {
      return null;
    }
    String a = agent.toLowerCase(Locale.ROOT);
    for (String w : ASIC_MINERS) {
      if (a.contains(w)) {
        return "asic";
      }
    }
    for (String w : GPU_MINERS) {
      if (a.contains(w)) {
        return "gpu";
      }
    }
    for (String w : CPU_MINERS) {
      if (a.contains(w)) {
        return "cpu";
      }
    }
    return null;
  }

  /** The row for an algorithm and, where known and listed, a hardware class; else the first row. */
  public Efficiency efficiency(Algorithm algorithm, String hardware) {
    Efficiency first = null;
    for (Efficiency e : rows) {
      if (e.algorithm() != algorithm) {
        continue;
      }
      if (hardware != null && e.hardware().equals(hardware)) {
        return e;
      }
      if (first == null) {
        first = e;
      }
    }
    return first;
  }

  /** Power for a hash-rate estimate, or null if there is no rate or no row for the algorithm. */
  public PowerEstimate estimate(HashRate rate, String agent, double pue) {
    if (rate == null || rate.tooFewShares()) {
      return null;
    }
    Efficiency e = efficiency(rate.algorithm(), hardwareOf(agent));
    if (e == null) {
      return null;
    }
    return new PowerEstimate(
        rate.low() * e.low() * pue,
        rate.value() * e.best() * pue,
        rate.high() * e.high() * pue,
        e.hardware(),
        rate.algorithm().label() + " on " + e.hardware() + ": " + e.basis() + "; PUE " + pue);
  }
}
