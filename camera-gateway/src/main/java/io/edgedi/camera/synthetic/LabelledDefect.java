package io.edgedi.camera.synthetic;

import java.util.Objects;

/**
 * One ground-truth defect in a generated frame: its class and a box enclosing its visible pixels.
 */
public record LabelledDefect(DefectClass kind, Box box) {
  public LabelledDefect {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(box, "box");
  }
}
