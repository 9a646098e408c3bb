package io.edgedi.planner.publish;

/**
 * Whether this planner may publish classifications now, and under which lease epoch
 * (docs/decisions/004-planner-failover.md): two planners must never both publish as active.
 */
public interface Fence {
  /** The planner's id, written into its classifications. */
  String plannerId();

  /** The lease epoch to publish under, or a negative number while this planner must not publish. */
  long epochIfActive();

  /** Always allowed, epoch 0: a planner without a peer (tests, tools). */
  static Fence open(String plannerId) {
    return new Fence() {
      @Override
      public String plannerId() {
        return plannerId;
      }

      @Override
      public long epochIfActive() {
        return 0;
      }
    };
  }
}
