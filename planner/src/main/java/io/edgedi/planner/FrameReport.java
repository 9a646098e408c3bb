package io.edgedi.planner;

import io.edgedi.planner.plan.FramePlan;
import io.edgedi.schemas.Classification;
import io.edgedi.schemas.Frame;
import java.util.List;

/**
 * Everything about one finished frame, for observers (dashboard, metrics): the frame as
 * received, its plan with predicted band times, the measured compute time of every band (per
 * stage, band order) and the published classification.
 */
public record FrameReport(Frame frame, FramePlan plan, List<long[]> bandComputeMicros,
                          Classification classification) {}
