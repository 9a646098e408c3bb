package io.edgedi.planner.publish;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.partition.ClassifierHead;
import io.edgedi.inference.trust.DistrustReason;
import io.edgedi.inference.trust.TrustPolicy;
import io.edgedi.inference.trust.TrustVerdict;
import io.edgedi.inference.window.Window;
import io.edgedi.inference.window.WindowHead;
import io.edgedi.planner.window.WindowedFrame;
import io.edgedi.schemas.Classification;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.WindowVerdict;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The verdicts of a frame's windows and the frame's own. The frame's verdict is its worst window:
 * the most confident defect; when no window shows a defect (only with a head that knows {@code
 * none}), the window least sure of {@code none}. The frame is trusted only if every window is: one
 * window a person must look at is enough to send the frame to one.
 */
record WindowVerdicts(
    List<WindowVerdict> windows,
    List<float[]> logits,
    List<TrustVerdict> verdicts,
    List<String> classNames,
    int verdictIndex,
    double temperature) {

  static WindowVerdicts of(
      List<WindowedFrame.Outcome> outcomes,
      Frame frame,
      WindowHead head,
      List<String> classNames,
      TrustPolicy policy,
      ModelSpec model) {
    byte[] pixels = ClassificationPublisher.pixels(frame);
    int none = classNames.indexOf(WindowHead.NONE);
    List<WindowVerdict> windows = new ArrayList<>();
    List<float[]> logits = new ArrayList<>();
    List<TrustVerdict> verdicts = new ArrayList<>();
    int worstDefect = -1;
    int leastSureNone = -1;
    for (int i = 0; i < outcomes.size(); i++) {
      WindowedFrame.Outcome o = outcomes.get(i);
      Window w = o.window();
      float[] z =
          head == null
              ? o.result().logits()
              : head.logits(ClassifierHead.means(model, o.result().headSums()));
      TrustVerdict v =
          policy.assess(
              z, w.crop(pixels, frame.getWidth(), frame.getChannels()), w.height(), w.width());
      int best = ClassifierHead.argmax(v.scores());
      logits.add(z);
      verdicts.add(v);
      windows.add(
          WindowVerdict.newBuilder()
              .setX(w.x())
              .setY(w.y())
              .setWidth(w.width())
              .setHeight(w.height())
              .setClassName(classNames.get(best))
              .setClassIndex(best)
              .setConfidence(v.confidence())
              .setTrusted(v.trusted())
              .build());
      if (best != none) {
        if (worstDefect < 0 || v.confidence() > verdicts.get(worstDefect).confidence()) {
          worstDefect = i;
        }
      } else if (leastSureNone < 0 || v.confidence() < verdicts.get(leastSureNone).confidence()) {
        leastSureNone = i;
      }
    }
    return new WindowVerdicts(
        windows,
        logits,
        verdicts,
        classNames,
        worstDefect >= 0 ? worstDefect : leastSureNone,
        policy.temperature());
  }

  /**
   * Sets the class fields of the frame's classification from its verdict window, and the windows.
   */
  Classification.Builder fill(Classification.Builder c) {
    TrustVerdict v = verdicts.get(verdictIndex);
    int best = ClassifierHead.argmax(v.scores());
    EnumSet<DistrustReason> reasons = EnumSet.noneOf(DistrustReason.class);
    verdicts.forEach(w -> reasons.addAll(w.reasons()));
    return c.setClassNames(classNames)
        .setClassIndex(best)
        .setClassName(classNames.get(best))
        .setConfidence(v.confidence())
        .setScores(ClassificationPublisher.floats(v.scores()))
        .setLogits(ClassificationPublisher.floats(logits.get(verdictIndex)))
        .setTrusted(reasons.isEmpty())
        .setUntrustedReasons(reasons.stream().map(Enum::name).toList())
        .setWindows(windows);
  }
}
