package io.edgedi.inference.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.partition.ExactnessCheck;
import io.edgedi.inference.partition.PartitionPlan;
import io.edgedi.inference.partition.PartitionedInference;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.RandomWeights;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SliceRunnerTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "vgg13",
        "vgg16",
        "resnet18",
        "vgg13-scar",
        "vgg16-scar",
        "resnet18-scar",
        "vgg13-scarp",
        "vgg16-scarp",
        "resnet18-scarp"
      })
  void monolithicGraphAgreesWithNaiveJavaForwardPass(String name) {
    ModelSpec model = ModelZoo.byName(name, 32, 36);
    FoldedWeights w = FoldedWeights.fold(RandomWeights.create(model, 5), "r5");
    FeatureMap image = ExactnessCheck.randomImage(model, new SplittableRandom(9));
    float[] want = ReferenceForward.trunk(w, image.data());
    try (SliceRunner runner = new SliceRunner(w)) {
      float[] got =
          new PartitionedInference(runner)
              .run(PartitionPlan.monolithic(model), image)
              .trunk()
              .data();
      double scale = 0;
      for (float v : want) {
        scale = Math.max(scale, Math.abs(v));
      }
      assertTrue(scale > 1e-3, "reference output is degenerate");
      double diff = ExactnessCheck.maxAbsDiff(want, got);
      assertTrue(
          diff <= 1e-4 * Math.max(1, scale),
          name + ": TF differs from reference by " + diff + " at scale " + scale);
    }
  }

  @Test
  void bandWithWrongRowsIsRefusedWithTheRowsItNeeds() {
    ModelSpec model = ModelZoo.byName("vgg13", 32, 32);
    FoldedWeights w = FoldedWeights.fold(RandomWeights.create(model, 1), "r1");
    StageGeometry geo = StageGeometry.of(model, new Stage(1, 3), StageGeometry.bandsOf(16, 16));
    FeatureMap image = ExactnessCheck.randomImage(model, new SplittableRandom(1));
    try (SliceRunner runner = new SliceRunner(w)) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> runner.start(geo, 1, image.slice(new RowRange(16, 32))));
      assertTrue(e.getMessage().contains("needs rows [14,32)"), e.getMessage());
    }
  }

  @Test
  void aStageStartingAtItsLevelSumsItsInputBeforeAnyTfRun() {
    ModelSpec model = ModelZoo.byName("resnet18-scarp", 64, 64);
    FoldedWeights w = FoldedWeights.fold(RandomWeights.create(model, 2), "r2");
    List<Integer> cuts = model.cutPoints();
    Stage layer2 = new Stage(cuts.get(3), cuts.get(4));
    int rows = model.shape(layer2.outputNode()).height();
    StageGeometry geo = StageGeometry.of(model, layer2, StageGeometry.bandsOf(3, rows - 3));
    var in = model.shape(layer2.inputNode());
    float[] map = new float[(int) in.elements()];
    SplittableRandom rnd = new SplittableRandom(4);
    double[] want = new double[in.channels()];
    for (int i = 0; i < map.length; i++) {
      map[i] = (float) rnd.nextDouble();
      want[i % in.channels()] += map[i];
    }
    FeatureMap whole = FeatureMap.whole(in.height(), in.width(), in.channels(), map);
    double[] got = new double[in.channels()];
    try (SliceRunner runner = new SliceRunner(w)) {
      for (int band = 0; band < 2; band++) {
        try (StageRun run = runner.start(geo, band, whole.slice(geo.inputRows(band)))) {
          StageRun.Reduce reduce = run.step(null);
          assertEquals(layer2.inputNode(), reduce.node());
          assertEquals(0, run.tfRuns());
          assertEquals(
              0, runner.cachedGraphs(), "no graph may run before the level's sums are known");
          for (int c = 0; c < got.length; c++) {
            got[c] += reduce.partialSum()[c];
          }
        }
      }
    }
    for (int c = 0; c < got.length; c++) {
      assertEquals(want[c], got[c], 1e-9 * Math.abs(want[c]), "channel " + c);
    }
  }

  @Test
  void segmentGraphsAreBuiltOnceAndReused() {
    ModelSpec model = ModelZoo.byName("resnet18-scar", 24, 24);
    FoldedWeights w = FoldedWeights.fold(RandomWeights.create(model, 1), "r1");
    FeatureMap image = ExactnessCheck.randomImage(model, new SplittableRandom(1));
    try (SliceRunner runner = new SliceRunner(w)) {
      PartitionedInference inference = new PartitionedInference(runner);
      PartitionPlan plan =
          PartitionPlan.proportional(model, List.of(12, 31), new double[] {1, 2, 1});
      float[] first = inference.run(plan, image).logits();
      int graphs = runner.cachedGraphs();
      float[] second = inference.run(plan, image).logits();
      assertEquals(graphs, runner.cachedGraphs());
      assertEquals(0.0, ExactnessCheck.maxAbsDiff(first, second));
    }
  }
}
