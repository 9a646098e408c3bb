package io.edgedi.training.window;

import io.edgedi.camera.synthetic.WindowLabel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well windows were classified against the generator's labels: over all labelled windows,
 * over those that show a defect, and over those that show none, plus a confusion table
 * (label -> predicted class -> windows). Ambiguous windows do not count. Not thread-safe.
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

  /** The figures as a JSON-ready map. */
  public Map<String, Object> summary(List<String> classOrder) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("windows", windows);
    m.put("accuracy", accuracy());
    m.put("defectWindows", defects);
    m.put("defectAccuracy", defectAccuracy());
    m.put("noneWindows", none);
    m.put("noneAccuracy", noneAccuracy());
    Map<String, Object> table = new LinkedHashMap<>();
    for (String c : classOrder) {
      if (confusion.containsKey(c)) {
        table.put(c, confusion.get(c));
      }
    }
    m.put("confusion", table);
    return m;
  }

  private static double ratio(int a, int b) {
    return b == 0 ? Double.NaN : (double) a / b;
  }
}
