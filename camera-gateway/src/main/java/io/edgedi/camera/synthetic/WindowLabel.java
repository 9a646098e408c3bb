package io.edgedi.camera.synthetic;

/**
 * What a window of a {@link LineScanFrame} shows, by the frame's label boxes: a defect of one kind,
 * no defect, or too little of a defect to say (left out of training and of accuracy).
 *
 * <p>A window shows a defect when it holds at least half of the defect's box, or the box covers at
 * least half of the window (a defect larger than the window); of several, the one that covers most.
 * It shows none when no label box touches it.
 */
public record WindowLabel(DefectClass kind, boolean none) {
  /** Share of a defect's box (or of the window) that makes the window show it. */
  public static final double MIN_COVER = 0.5;

  public static final WindowLabel NONE = new WindowLabel(null, true);
  public static final WindowLabel AMBIGUOUS = new WindowLabel(null, false);

  public static WindowLabel of(LineScanFrame frame, Box window) {
    boolean touched = false;
    double best = 0;
    DefectClass kind = null;
    double windowArea = (double) window.width() * window.height();
    for (LabelledDefect d : frame.defects()) {
      Box b = d.box();
      int ix = Math.min(window.right(), b.right()) - Math.max(window.x(), b.x());
      int iy = Math.min(window.bottom(), b.bottom()) - Math.max(window.y(), b.y());
      if (ix <= 0 || iy <= 0) {
        continue;
      }
      touched = true;
      double inter = (double) ix * iy;
      double cover = Math.max(inter / ((double) b.width() * b.height()), inter / windowArea);
      if (cover > best) {
        best = cover;
        kind = d.kind();
      }
    }
    if (!touched) {
      return NONE;
    }
    return best >= MIN_COVER ? new WindowLabel(kind, false) : AMBIGUOUS;
  }

  public boolean defect() {
    return kind != null;
  }

  /**
   * The label as a class name of a window head ({@code none} for no defect), null when ambiguous.
   */
  public String className() {
    return kind != null ? kind.folderName() : none ? "none" : null;
  }
}
