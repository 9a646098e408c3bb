package io.edgedi.training.data;

import io.edgedi.camera.source.ImageLoader;
import io.edgedi.camera.source.NeuDataset;
import io.edgedi.camera.source.SizePolicy;
import io.edgedi.camera.source.SourceError;
import io.edgedi.camera.source.SourceImage;
import io.edgedi.camera.source.SourceItem;
import io.edgedi.camera.synthetic.DefectClass;
import io.edgedi.camera.synthetic.GrayImage;
import io.edgedi.camera.synthetic.SyntheticDefectGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Loads NEU-CLS images (class folders or class-prefixed names, via {@link NeuDataset}) and makes
 * synthetic frames, all as {@link Sample}s of the model's input size.
 *
 * <p>A data folder with {@code train/} and {@code val/} subfolders is used as split; any other
 * folder is split per class, deterministically from a seed (every fifth image of a seeded
 * permutation goes to validation).
 */
public final class DataSets {
  /** Where the NEU-CLS layout is expected, for error messages. */
  public static final String EXPECTED_LAYOUT =
      "a NEU-CLS folder: DIR/train/<class>/*.bmp and "
          + "DIR/val/<class>/*.bmp (classes crazing, inclusion, patches, pitted_surface, "
          + "rolled-in_scale, scratches), or one folder of class folders / class-prefixed names "
          + "(Cr_1.bmp, In_1.bmp, ...)";

  private DataSets() {}

  /** Training and validation samples. */
  public record Split(List<Sample> train, List<Sample> val, String description) {}

  /**
   * Checks that {@code dir} exists and holds labelled images; the message says what is expected.
   */
  public static void requireDataDir(Path dir) {
    if (dir == null) {
      throw new IllegalArgumentException("--data is required: " + EXPECTED_LAYOUT);
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "data folder " + dir + " does not exist; --data must name " + EXPECTED_LAYOUT);
    }
  }

  public static Split split(Path dir, int height, int width, long seed) throws IOException {
    requireDataDir(dir);
    Path train = dir.resolve("train");
    Path val = dir.resolve("val");
    if (Files.isDirectory(train) && Files.isDirectory(val)) {
      List<Sample> tr = load(train, height, width);
      List<Sample> va = load(val, height, width);
      return new Split(tr, va, dir + ": train/ " + tr.size() + " images, val/ " + va.size());
    }
    List<Sample> all = load(dir, height, width);
    Map<Integer, List<Sample>> byClass = new TreeMap<>();
    for (Sample s : all) {
      byClass.computeIfAbsent(s.label(), k -> new ArrayList<>()).add(s);
    }
    List<Sample> tr = new ArrayList<>();
    List<Sample> va = new ArrayList<>();
    for (List<Sample> group : byClass.values()) {
      List<Sample> shuffled = new ArrayList<>(group);
      Shuffle.shuffle(shuffled, new SplittableRandom(seed ^ 0x5eed5eedL));
      for (int i = 0; i < shuffled.size(); i++) {
        (i % 5 == 4 ? va : tr).add(shuffled.get(i));
      }
    }
    return new Split(
        tr,
        va,
        dir + ": seeded 80/20 split per class, " + tr.size() + " train, " + va.size() + " val");
  }

  /**
   * The images to evaluate on: {@code dir/val} if present (the usual NEU-CLS layout), else every
   * image under {@code dir}.
   */
  public static List<Sample> evaluationSet(Path dir, int height, int width) throws IOException {
    requireDataDir(dir);
    Path val = dir.resolve("val");
    return load(Files.isDirectory(val) ? val : dir, height, width);
  }

  /** Every labelled image below {@code dir}, resized to {@code height x width} if needed. */
  public static List<Sample> load(Path dir, int height, int width) throws IOException {
    requireDataDir(dir);
    ImageLoader loader = new ImageLoader(width, height, SizePolicy.RESIZE);
    List<Sample> out = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (NeuDataset.LabelledFile f : NeuDataset.list(dir)) {
      if (f.defectClass() == null) {
        continue;
      }
      SourceItem item = loader.load(f.file(), f.relative(), f.label());
      if (item instanceof SourceImage img) {
        out.add(
            new Sample(height, width, img.image().pixels(), f.defectClass().index(), f.relative()));
      } else if (item instanceof SourceError err) {
        errors.add(err.toString());
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          "no labelled images under "
              + dir
              + "; expected "
              + EXPECTED_LAYOUT
              + (errors.isEmpty() ? "" : "; unreadable: " + errors.get(0)));
    }
    return out;
  }

  /**
   * {@code count} synthetic frames, classes in turn, seeds {@code firstSeed, firstSeed+1, ...}.
   * Generated at NEU size and resized when the model input differs (so small test models see the
   * same defects, smaller).
   */
  public static List<Sample> synthetic(int count, long firstSeed, int height, int width) {
    SyntheticDefectGenerator gen = new SyntheticDefectGenerator();
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      DefectClass kind = DefectClass.ofIndex(i % DefectClass.count());
      long seed = firstSeed + i;
      GrayImage img = gen.generate(kind, seed, width, height);
      out.add(
          new Sample(
              height,
              width,
              img.pixels(),
              kind.index(),
              "synthetic:" + kind.folderName() + ":" + seed));
    }
    return out;
  }
}
