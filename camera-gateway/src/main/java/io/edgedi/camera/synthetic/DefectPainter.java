package io.edgedi.camera.synthetic;

/**
 * Paints one defect kind onto steel.
 *
 * <p>A painter sees only a local {@link Surface} already holding the background, sized to the area
 * the defect may occupy: the whole image for a NEU-style tile, a sub-rectangle for a line-scan
 * frame. Sizes of marks are in pixels at NEU resolution; counts scale with the area, so a larger
 * region gets more marks of the same size rather than bigger marks.
 */
interface DefectPainter {
  /** Area of a NEU tile; painters scale their counts by {@code area / REFERENCE_AREA}. */
  double REFERENCE_AREA = 200.0 * 200.0;

  DefectClass kind();

  /**
   * Background typical of this class's NEU images (the data set's classes were shot under rather
   * different lighting, and a classifier trained on it expects that). Ranges are wide and overlap
   * between classes so the background alone does not give the class away.
   */
  SteelBackground.Style tileBackground(Rng rng);

  /** Paints one instance of the defect over the given surface. */
  void paint(Surface s, Rng rng);

  static DefectPainter of(DefectClass kind) {
    return switch (kind) {
      case CRAZING -> new CrazingPainter();
      case INCLUSION -> new InclusionPainter();
      case PATCHES -> new PatchesPainter();
      case PITTED_SURFACE -> new PittedSurfacePainter();
      case ROLLED_IN_SCALE -> new RolledInScalePainter();
      case SCRATCHES -> new ScratchesPainter();
    };
  }

  static double areaFactor(Surface s) {
    return s.width * (double) s.height / REFERENCE_AREA;
  }
}
