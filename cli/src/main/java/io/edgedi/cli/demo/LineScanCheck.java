package io.edgedi.cli.demo;

import io.edgedi.camera.source.LineScanSource;
import io.edgedi.camera.synthetic.Box;
import io.edgedi.camera.synthetic.LabelledDefect;
import io.edgedi.camera.synthetic.LineScanFrame;
import io.edgedi.camera.synthetic.WindowLabel;
import io.edgedi.cli.report.DemoReport;
import io.edgedi.inference.partition.ClassifierHead;
import io.edgedi.inference.partition.MonolithicInference;
import io.edgedi.inference.runtime.FeatureMap;
import io.edgedi.inference.trust.TrustPolicy;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.window.Window;
import io.edgedi.inference.window.WindowHead;
import io.edgedi.schemas.Classification;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.WindowVerdict;
import io.edgedi.training.window.WindowAccuracy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scores the line-scan demo: every window's class against the generator's labels of its strip
 * ({@link WindowLabel}), every strip's verdict against the defects painted into it, and every
 * window against the monolithic run of the same crop (class and calibrated confidence).
 */
public final class LineScanCheck {
  private final LineScanSource source;
  private final FoldedWeights weights;
  private final WindowHead head;
  private final TrustPolicy policy;

  /**
   * @param head the planner's window head, or null when windows use the model's own head
   */
  public LineScanCheck(LineScanSource source, FoldedWeights weights, WindowHead head) {
    this.source = source;
    this.weights = weights;
    this.head = head;
    TrustPolicy own = TrustPolicy.of(weights.metadata());
    this.policy = head == null ? own : own.withTemperature(head.temperature());
  }

  public DemoReport.LineScan summary(Map<String, Frame> sent, Map<String, Classification> results) {
    WindowAccuracy accuracy = new WindowAccuracy();
    List<Integer> windowsPerStrip = new ArrayList<>();
    int strips = 0;
    int defectStrips = 0;
    int verdictsRight = 0;
    int classMismatches = 0;
    double maxConfidenceDiff = 0;
    List<String> classes = head == null ? weights.model().classNames() : head.classNames();
    try (MonolithicInference local = new MonolithicInference(weights)) {
      for (Map.Entry<String, Frame> e : sent.entrySet()) {
        Classification c = results.get(e.getKey());
        if (c == null) {
          continue;
        }
        Frame f = e.getValue();
        LineScanFrame strip = source.strip(f.getSequence());
        strips++;
        windowsPerStrip.add(c.getWindows().size());
        for (WindowVerdict v : c.getWindows()) {
          Box box = new Box(v.getX(), v.getY(), v.getWidth(), v.getHeight());
          accuracy.add(WindowLabel.of(strip, box), v.getClassName());
          byte[] crop =
              new Window(0, v.getX(), v.getY(), v.getWidth(), v.getHeight())
                  .crop(strip.image().pixels(), strip.image().width(), 1);
          FeatureMap trunk =
              local.runGray(v.getHeight(), v.getWidth(), ByteBuffer.wrap(crop)).trunk();
          double[] sums = ClassifierHead.sums(trunk);
          float[] logits =
              head == null
                  ? ClassifierHead.logitsFromSums(weights, sums)
                  : head.logits(ClassifierHead.means(weights.model(), sums));
          float[] scores = policy.scores(logits);
          int best = ClassifierHead.argmax(scores);
          classMismatches += classes.get(best).equals(v.getClassName()) ? 0 : 1;
          maxConfidenceDiff =
              Math.max(maxConfidenceDiff, Math.abs(scores[best] - v.getConfidence()));
        }
        List<String> painted =
            strip.defects().stream().map(LabelledDefect::kind).map(k -> k.folderName()).toList();
        if (!painted.isEmpty()) {
          defectStrips++;
          verdictsRight += painted.contains(c.getClassName()) ? 1 : 0;
        }
      }
    }
    return new DemoReport.LineScan(
        strips,
        source.width() + "x" + source.rows(),
        windowsPerStrip.stream().distinct().toList(),
        head == null
            ? null
            : head.modelId() + "@" + head.trunkVersion() + " (" + head.classes() + " classes)",
        accuracy.summary(classes),
        defectStrips,
        defectStrips == 0 ? null : (double) verdictsRight / defectStrips,
        classMismatches,
        maxConfidenceDiff);
  }
}
