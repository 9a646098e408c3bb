package io.edgedi.camera.capture;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * A chain of capture effects at fixed levels, applied to an 8-bit frame in order, each step written
 * back to 8 bits as a camera pipeline does. Written {@code kind[:level]+kind[:level]}; a kind
 * without a level takes its realistic level. The random parts (noise, directions, specks) depend
 * only on the seed passed to {@link #apply}, so a degraded data set is reproducible.
 */
public record Degradation(List<Step> steps) {
  /** One effect at one level. */
  public record Step(CaptureKind kind, double level) {
    public Step {
      Objects.requireNonNull(kind, "kind");
      if (!Double.isFinite(level)) {
        throw new IllegalArgumentException(kind.id() + ": level must be finite");
      }
    }

    @Override
    public String toString() {
      return kind.id() + ":" + formatLevel(level);
    }
  }

  public Degradation {
    steps = List.copyOf(steps);
  }

  public static Degradation none() {
    return new Degradation(List.of());
  }

  public static Degradation of(CaptureKind kind, double level) {
    return new Degradation(List.of(new Step(kind, level)));
  }

  /** Parses {@code kind[:level]+kind[:level]...}; "clean" or "" is no degradation. */
  public static Degradation parse(String text) {
    String t = text.trim();
    if (t.isEmpty() || t.equalsIgnoreCase("clean")) {
      return none();
    }
    List<Step> steps = new ArrayList<>();
    for (String part : t.split("\\+")) {
      String[] kv = part.split(":", 2);
      CaptureKind kind = CaptureKind.byId(kv[0]);
      double level;
      if (kv.length == 1) {
        level = kind.realistic();
      } else {
        try {
          level = Double.parseDouble(kv[1].trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("level of '" + part + "' is not a number");
        }
      }
      steps.add(new Step(kind, level));
    }
    return new Degradation(steps);
  }

  /**
   * Parses a comma-separated list of conditions; the word {@code realistic} expands to every kind
   * at its realistic level (exposure in both directions).
   */
  public static List<Degradation> parseList(String text) {
    List<Degradation> out = new ArrayList<>();
    for (String item : text.split(",")) {
      if (item.trim().equalsIgnoreCase("realistic")) {
        out.addAll(realisticSet());
      } else if (!item.isBlank()) {
        out.add(parse(item));
      }
    }
    return out;
  }

  /** Every kind alone at its realistic level; exposure both brighter and darker. */
  public static List<Degradation> realisticSet() {
    List<Degradation> out = new ArrayList<>();
    for (CaptureKind k : CaptureKind.values()) {
      out.add(of(k, k.realistic()));
      if (k == CaptureKind.EXPOSURE) {
        out.add(of(k, -k.realistic()));
      }
    }
    return out;
  }

  public boolean isNone() {
    return steps.isEmpty();
  }

  /** The degraded copy of {@code pixels} (row-major, {@code height x width}, unsigned). */
  public byte[] apply(byte[] pixels, int height, int width, long seed) {
    if (steps.isEmpty()) {
      return pixels.clone();
    }
    SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
    Raster r = Raster.of(pixels, height, width);
    for (Step s : steps) {
      r = Raster.of(s.kind().apply(r, s.level(), rnd).toBytes(), height, width);
    }
    return r.toBytes();
  }

  @Override
  public String toString() {
    return steps.isEmpty()
        ? "clean"
        : steps.stream().map(Step::toString).collect(Collectors.joining("+"));
  }

  static String formatLevel(double level) {
    if (level == Math.rint(level) && Math.abs(level) < 1e6) {
      return Long.toString((long) level);
    }
    return String.format(Locale.ROOT, "%s", level);
  }
}
