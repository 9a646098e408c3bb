package io.edgedi.planner.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedi.planner.FrameReport;
import io.edgedi.planner.plan.AssignedStage;
import io.edgedi.schemas.Classification;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.codec.ClassificationJson;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** One classified frame as the dashboard's {@code frame} event and recent-frame tiles carry it. */
final class FrameJson {
  private FrameJson() {}

  /** Milliseconds from the planner receiving the frame to its classification. */
  static double latencyMillis(Classification c) {
    return (c.getClassifiedAtMicros() - c.getReceivedAtMicros()) / 1000.0;
  }

  /** A band's computing time as its worker measured it, -1 where the report has none. */
  static double actualMillis(FrameReport r, int stage, int band) {
    long[] actual =
        stage < r.bandComputeMicros().size() ? r.bandComputeMicros().get(stage) : new long[0];
    return band < actual.length ? actual[band] / 1000.0 : -1;
  }

  static ObjectNode of(ObjectMapper mapper, FrameReport r, long nowMillis) {
    Frame f = r.frame();
    Classification c = r.classification();
    ObjectNode j = mapper.createObjectNode();
    j.put("id", f.getFrameId())
        .put("line", c.getLine())
        .put("camera", c.getCamera())
        .put("sequence", f.getSequence())
        .put("label", c.getLabel())
        .put("className", c.getClassName())
        .put("classIndex", c.getClassIndex())
        .put("confidence", c.getConfidence())
        .put("trusted", c.getTrusted())
        .put("repeat", c.getRepeat())
        .put("latencyMs", latencyMillis(c))
        .put("queueMs", c.getQueueMicros() / 1000.0)
        .put("computeMs", c.getComputeMicros() / 1000.0)
        .put("transferMs", c.getTransferMicros() / 1000.0)
        .put("planId", c.getPlanId())
        .put("planner", r.plan().plannerName())
        .put("at", nowMillis)
        .put("width", f.getWidth())
        .put("height", f.getHeight())
        .put(
            "image",
            "api/frames/" + URLEncoder.encode(f.getFrameId(), StandardCharsets.UTF_8) + ".png");
    ArrayNode reasons = j.putArray("untrustedReasons");
    c.getUntrustedReasons().forEach(reason -> reasons.add(reason.toString()));
    ArrayNode names = j.putArray("classNames");
    c.getClassNames().forEach(names::add);
    ArrayNode scores = j.putArray("scores");
    c.getScores().forEach(scores::add);
    ClassificationJson.putWindows(j, c);
    ArrayNode stages = j.putArray("stages");
    List<AssignedStage> plan = r.plan().stages();
    for (int s = 0; s < plan.size(); s++) {
      AssignedStage st = plan.get(s);
      ObjectNode sn =
          stages
              .addObject()
              .put("from", st.stage().from())
              .put("to", st.stage().to())
              .put("height", st.bands().get(st.bands().size() - 1).end());
      ArrayNode bands = sn.putArray("bands");
      for (int b = 0; b < st.bands().size(); b++) {
        bands
            .addObject()
            .put("worker", st.workers().get(b))
            .put("start", st.bands().get(b).start())
            .put("end", st.bands().get(b).end())
            .put("predictedMs", st.predictedMillis().get(b))
            .put("actualMs", actualMillis(r, s, b));
      }
    }
    return j;
  }
}
