package io.edgedi.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.model.ModelCost;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.model.Op;
import io.edgedi.inference.partition.ExactnessCheck;
import io.edgedi.inference.partition.PartitionPlan;
import io.edgedi.inference.partition.PartitionedInference;
import io.edgedi.inference.runtime.FeatureMap;
import io.edgedi.inference.runtime.SliceRunner;
import io.edgedi.inference.weights.ModelWeights;
import io.edgedi.inference.weights.NamedTensor;
import io.edgedi.inference.weights.RandomWeights;
import io.edgedi.inference.weights.WeightFile;
import io.edgedi.training.data.DataSets;
import io.edgedi.training.data.Sample;
import io.edgedi.training.prune.FilterPruner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrunerTest {
  @TempDir Path dir;

  @Test
  void convsFeedingResidualAddsAreNotPrunable() {
    ModelSpec m = ModelZoo.byName("resnet18-scar", 64, 64);
    List<Integer> p = FilterPruner.prunable(m);
    for (int id : p) {
      String name = m.node(id).name();
      assertFalse(name.endsWith("_expand") && name.contains("_b"), name);
      assertFalse(name.endsWith("_down") || name.equals("stem"), name);
    }
    assertTrue(p.stream().anyMatch(id -> m.node(id).name().endsWith("_spatial")));
    // VGG has no adds: every conv may shrink.
    ModelSpec v = ModelZoo.byName("vgg16-scar", 64, 64);
    assertEquals(
        v.nodes().stream().filter(n -> n.op() instanceof Op.Conv).count(),
        FilterPruner.prunable(v).size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"vgg16-scar", "resnet18-scar", "vgg16-scarp", "resnet18-scarp"})
  void prunedModelIsSmallerValidAndLoadsFromItsWeightFile(String name) throws Exception {
    ModelSpec spec = ModelZoo.byName(name, 48, 48);
    ModelWeights w = RandomWeights.create(spec, 3);
    double fraction = FilterPruner.fractionForMacsRatio(spec, 0.5);
    ModelWeights pruned = FilterPruner.pruneFraction(w, fraction);
    long macs = ModelCost.macs(pruned.model());
    assertTrue(macs <= 0.5 * ModelCost.macs(spec), macs + " vs " + ModelCost.macs(spec));
    assertTrue(ModelCost.params(pruned.model()) < ModelCost.params(spec));
    Path file = dir.resolve("pruned.edw");
    WeightFile.write(file, pruned, WeightFile.Precision.FLOAT16);
    WeightFile.Loaded loaded = WeightFile.read(file, name);
    assertEquals(pruned.model(), loaded.weights().model());
    try (SliceRunner runner = new SliceRunner(loaded.folded())) {
      Sample s = DataSets.synthetic(1, 5, 48, 48).get(0);
      float[] logits =
          new PartitionedInference(runner)
              .run(
                  PartitionPlan.monolithic(loaded.weights().model()),
                  FeatureMap.whole(48, 48, 1, s.toInput()))
              .logits();
      assertEquals(6, logits.length);
      for (float f : logits) {
        assertTrue(Float.isFinite(f));
      }
    }
  }

  /**
   * Filters that BatchNorm zeroes contribute nothing: pruning exactly those keeps the logits. In
   * scarp that includes the rows of the attentions gated by a level input whose channels go.
   */
  @ParameterizedTest
  @ValueSource(strings = {"vgg13-scar", "vgg13-scarp"})
  void pruningDeadFiltersKeepsLogits(String name) throws Exception {
    ModelSpec spec = ModelZoo.byName(name, 32, 32);
    ModelWeights w = RandomWeights.create(spec, 11);
    List<NamedTensor> tensors = new ArrayList<>();
    Map<Integer, Integer> keep = new LinkedHashMap<>();
    for (NamedTensor t : w.tensors()) {
      float[] v = t.values().clone();
      boolean bnScale = t.name().endsWith(".bn_gamma") || t.name().endsWith(".bn_beta");
      String node = t.name().substring(0, t.name().indexOf('.'));
      Op op =
          spec.nodes().stream()
              .filter(n -> n.name().equals(node))
              .map(n -> n.op())
              .findFirst()
              .orElse(null);
      if (bnScale && op instanceof Op.Conv c && c.relu()) {
        // Kill every other filter: output exactly 0 after ReLU.
        for (int o = 0; o < v.length; o += 2) {
          v[o] = 0;
        }
      }
      tensors.add(new NamedTensor(t.name(), t.shape(), v));
    }
    for (var n : spec.nodes()) {
      if (n.op() instanceof Op.Conv c && c.batchNorm() && c.relu() && c.outChannels() > 1) {
        keep.put(n.id(), c.outChannels() / 2);
      }
    }
    ModelWeights dead = new ModelWeights(spec, tensors, Map.of());
    ModelWeights pruned = FilterPruner.prune(dead, keep);
    assertTrue(ModelCost.macs(pruned.model()) < ModelCost.macs(spec));
    List<Sample> samples = DataSets.synthetic(3, 9, 32, 32);
    double max = 0;
    try (SliceRunner a =
            new SliceRunner(io.edgedi.inference.weights.FoldedWeights.fold(dead, "a"));
        SliceRunner b =
            new SliceRunner(io.edgedi.inference.weights.FoldedWeights.fold(pruned, "b"))) {
      for (Sample s : samples) {
        FeatureMap img = FeatureMap.whole(32, 32, 1, s.toInput());
        float[] la = new PartitionedInference(a).run(PartitionPlan.monolithic(spec), img).logits();
        float[] lb =
            new PartitionedInference(b).run(PartitionPlan.monolithic(pruned.model()), img).logits();
        max = Math.max(max, ExactnessCheck.maxAbsDiff(la, lb));
      }
    }
    assertTrue(max < 1e-4, "pruning dead filters changed logits by " + max);
  }
}
