package io.edgedi.planner.plan;

import java.util.List;

/** How one frame is computed: the named planner's stages with worker assignments. */
public record FramePlan(String planId, String plannerName, List<AssignedStage> stages) {
  public FramePlan {
    stages = List.copyOf(stages);
  }
}
