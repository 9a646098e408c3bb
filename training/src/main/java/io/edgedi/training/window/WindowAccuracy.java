package io.edgedi.training.window;

import io.edgedi.camera.synthetic.WindowLabel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well windows were classified against the generator's labels: over all labelled windows, over
 * those that show a defect, and over those that show none, plus a confusion table (label ->
 * predicted class -> windows). Ambiguous windows do not count. Not thread-safe.
 */
public final class WindowAccuracy {
  private final Map<String, Map<String, Integer>> confusion = new LinkedHashMap<>();
  private int windows;
  private int right;
  private int defects;
  private int defectsRight;
  private int none;
  private int noneRight;

  /** Counts one window; false when its label is ambiguous (not counted). */
  public boolean add(WindowLabel label, String predicted) {
    String want = label.className();
    if (want == null) {
      return false;
    }
    boolean ok = want.equals(predicted);
    windows++;
    right += ok ? 1 : 0;
    if (label.defect()) {
      defects++;
      defectsRight += ok ? 1 : 0;
    } else {
      none++;
      noneRight += ok ? 1 : 0;
    }
    confusion.computeIfAbsent(want, k -> new LinkedHashMap<>()).merge(predicted, 1, Integer::sum);
    return true;
  }

  public int windows() {
    return windows;
  }

  public double accuracy() {
    return ratio(right, windows);
  }

  public double defectAccuracy() {
    return ratio(defectsRight, defects);
  }

  public double noneAccuracy() {
    return ratio(noneRight, none);
  }

  /** The figures; a share is null when it has no windows. */
  public record Summary(
      int windows,
      Double accuracy,
      int defectWindows,
      Double defectAccuracy,
      int noneWindows,
      Double noneAccuracy,
      Map<String, Map<String, Integer>> confusion) {}

  /** The figures, the confusion table's labels in {@code classOrder}. */
  public Summary summary(List<String> classOrder) {
    Map<String, Map<String, Integer>> table = new LinkedHashMap<>();
    for (String c : classOrder) {
      if (confusion.containsKey(c)) {
        table.put(c, confusion.get(c));
      }
    }
    return new Summary(
        windows,
        share(right, windows),
        defects,
        share(defectsRight, defects),
        none,
        share(noneRight, none),
        table);
  }

  private static Double share(int a, int b) {
    return b == 0 ? null : (double) a / b;
  }

  private static double ratio(int a, int b) {
    return b == 0 ? Double.NaN : (double) a / b;
  }
}
