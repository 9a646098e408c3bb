package io.edgedi.planner;

import io.edgedi.planner.aggregate.ReduceRound;
import io.edgedi.planner.plan.FramePlan;
import io.edgedi.schemas.Classification;
import io.edgedi.schemas.Frame;
import java.util.List;

/**
 * Everything about one finished frame, for observers (dashboard, metrics): the frame as received,
 * its plan with predicted band times, the measured compute time of every band (per stage, band
 * order), the published classification, and the channel-attention reduce rounds of its split stages
 * (empty when no stage was split), and the bytes that went through the planner for it (tasks out,
 * results in; the workers exchange feature maps among themselves).
 */
public record FrameReport(
    Frame frame,
    FramePlan plan,
    List<long[]> bandComputeMicros,
    Classification classification,
    List<ReduceRound> reduceRounds,
    long plannerBytes) {
  public FrameReport(
      Frame frame, FramePlan plan, List<long[]> bandComputeMicros, Classification classification) {
    this(frame, plan, bandComputeMicros, classification, List.of(), 0);
  }
}
