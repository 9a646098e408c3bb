package io.edgedi.cli;

import io.edgedi.training.data.Sample;
import io.edgedi.training.data.Shuffle;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded subsets of training images (for quick runs on slow machines). */
final class Limit {
  private Limit() {}

  /** At most {@code total} images, the same share from every class, chosen by seed. */
  static List<Sample> perClass(List<Sample> all, int total, long seed) {
    int classes = (int) all.stream().mapToInt(Sample::label).distinct().count();
    int per = Math.max(1, total / Math.max(1, classes));
    List<Sample> shuffled = new ArrayList<>(all);
    Shuffle.shuffle(shuffled, new SplittableRandom(seed ^ 0x11a11L));
    int[] taken = new int[64];
    List<Sample> out = new ArrayList<>();
    for (Sample s : shuffled) {
      if (taken[s.label()]++ < per) {
        out.add(s);
      }
    }
    return out;
  }
}
