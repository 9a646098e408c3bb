package io.edgedi.camera.synthetic;

import java.util.List;
import java.util.Objects;

/** A generated line-scan frame and the defects painted into it. */
public record LineScanFrame(GrayImage image, List<LabelledDefect> defects) {
  public LineScanFrame {
    Objects.requireNonNull(image, "image");
    defects = List.copyOf(defects);
  }
}
