package io.edgedi.camera.synthetic;

import java.util.Locale;
import java.util.Optional;

/**
 * The six NEU-CLS surface defect classes, in the data set's canonical order.
 *
 * <p>The {@link #index()} is the class id used for CNN labels, so the declaration order must not
 * change: models trained against it would silently mislabel.
 */
public enum DefectClass {
  CRAZING("crazing", "Cr"),
  INCLUSION("inclusion", "In"),
  PATCHES("patches", "Pa"),
  PITTED_SURFACE("pitted_surface", "PS"),
  ROLLED_IN_SCALE("rolled-in_scale", "RS"),
  SCRATCHES("scratches", "Sc");

  private static final DefectClass[] VALUES = values();

  private final String folderName;
  private final String filePrefix;

  DefectClass(String folderName, String filePrefix) {
    this.folderName = folderName;
    this.filePrefix = filePrefix;
  }

  /** Directory name used by NEU-CLS, e.g. {@code rolled-in_scale}. */
  public String folderName() {
    return folderName;
  }

  /** File name prefix used by NEU-CLS, e.g. {@code RS} in {@code RS_12.bmp}. */
  public String filePrefix() {
    return filePrefix;
  }

  /** Label index 0..5. */
  public int index() {
    return ordinal();
  }

  public static int count() {
    return VALUES.length;
  }

  public static DefectClass ofIndex(int index) {
    if (index < 0 || index >= VALUES.length) {
      throw new IllegalArgumentException(
          "defect class index out of range 0.." + (VALUES.length - 1) + ": " + index);
    }
    return VALUES[index];
  }

  /**
   * Looks a class up by NEU folder name, file prefix or enum name, ignoring case. A file name such
   * as {@code PS_17.bmp} also matches, via its prefix before the first underscore, because that is
   * how NEU files are named.
   */
  public static Optional<DefectClass> lookup(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String n = name.trim();
    if (n.isEmpty()) {
      return Optional.empty();
    }
    for (DefectClass c : VALUES) {
      if (c.folderName.equalsIgnoreCase(n)
          || c.filePrefix.equalsIgnoreCase(n)
          || c.name().equalsIgnoreCase(n)) {
        return Optional.of(c);
      }
    }
    // Tolerate "rolled_in_scale" / "pitted-surface" spellings seen in other copies of the data set.
    String norm = n.toLowerCase(Locale.ROOT).replace('-', '_');
    for (DefectClass c : VALUES) {
      if (c.folderName.replace('-', '_').equals(norm)) {
        return Optional.of(c);
      }
    }
    int us = n.indexOf('_');
    if (us > 0) {
      String prefix = n.substring(0, us);
      for (DefectClass c : VALUES) {
        if (c.filePrefix.equalsIgnoreCase(prefix)) {
          return Optional.of(c);
        }
      }
    }
    return Optional.empty();
  }

  /** Like {@link #lookup(String)} but fails loudly; for parsing configuration and paths. */
  public static DefectClass fromName(String name) {
    return lookup(name)
        .orElseThrow(() -> new IllegalArgumentException("unknown defect class: " + name));
  }
}
