package io.edgedi.planner.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgedi.planner.failover.LeaseState.Action;
import io.edgedi.planner.failover.LeaseState.Role;
import org.junit.jupiter.api.Test;

/**
 * The lease rules step by step, with a hand-driven clock (docs/decisions/004-planner-failover.md).
 */
class LeaseStateTest {
  private static final LeaseState.Timing T =
      LeaseState.Timing.defaults(); // renew 500, fence 1000, expiry 2000, settle 300, first 2000

  /**
   * Claims at {@code now}, sees its echo, and is active after the settle time; returns the time
   * then.
   */
  private static long becomeActive(LeaseState s, long now) {
    assertEquals(Action.CLAIM, s.tick(now));
    s.acknowledged(s.epoch(), now);
    s.onLease("a", s.epoch(), false, now + 5);
    s.tick(now + T.settleMillis());
    assertEquals(Role.ACTIVE, s.role());
    return now + T.settleMillis();
  }

  @Test
  void alonePlannerClaimsAfterTheFirstWaitAndPublishesOnlyOnceActive() {
    LeaseState s = new LeaseState("a", T, 0);
    assertEquals(Action.NONE, s.tick(1_999));
    assertEquals(-1, s.epochIfActive(1_999));
    assertEquals(Action.CLAIM, s.tick(2_000));
    assertEquals(1, s.epoch());
    s.acknowledged(1, 2_000);
    assertEquals(-1, s.epochIfActive(2_010), "claiming is not active");
    s.onLease("a", 1, false, 2_010);
    assertEquals(Action.NONE, s.tick(2_200), "settling");
    s.tick(2_300);
    assertEquals(Role.ACTIVE, s.role());
    assertEquals(1, s.epochIfActive(2_300));
  }

  @Test
  void activePlannerRenewsAndFencesItselfWhenRenewalsAreNotAcknowledged() {
    LeaseState s = new LeaseState("a", T, 0);
    long t = becomeActive(s, 2_000);
    assertEquals(Action.RENEW, s.tick(2_500));
    s.acknowledged(1, 2_500);
    assertEquals(1, s.epochIfActive(3_400));
    // the broker is away: renewals are sent but never acknowledged
    assertEquals(Action.RENEW, s.tick(3_000));
    assertEquals(1, s.epochIfActive(3_499));
    assertEquals(-1, s.epochIfActive(3_500), "fenced 1 s after the last acknowledged renewal");
    assertEquals(
        Role.ACTIVE, s.role(), "still the holder as far as it knows: renewing again unfences it");
    s.tick(3_500);
    s.acknowledged(1, 3_500);
    assertEquals(1, s.epochIfActive(3_600));
    assertEquals(2_300, t);
  }

  @Test
  void standbyWaitsWhileTheHolderRenewsAndClaimsTheNextEpochWhenItFallsSilent() {
    LeaseState b = new LeaseState("b", T, 0);
    b.onLease("a", 4, false, 100); // retained
    assertEquals(Action.NONE, b.tick(2_099));
    b.onLease("a", 4, false, 2_000);
    assertEquals(Action.NONE, b.tick(3_999));
    assertEquals("a", b.holder());
    assertEquals(Action.CLAIM, b.tick(4_000), "2 s without a renewal");
    assertEquals(5, b.epoch());
  }

  @Test
  void lastWillOfTheHolderFreesTheLeaseAtOnceAndAStaleWillDoesNot() {
    LeaseState b = new LeaseState("b", T, 0);
    b.onLease("a", 4, false, 100);
    b.onLease("c", 2, true, 150); // the will of a planner that is not the holder
    assertEquals(Action.NONE, b.tick(200));
    b.onLease("a", LeaseState.ANY_EPOCH, true, 250);
    assertEquals(Action.CLAIM, b.tick(260));
    assertEquals(5, b.epoch());
  }

  @Test
  void ofTwoSimultaneousClaimsTheHigherWinsAndTheOtherStepsDown() {
    LeaseState a = new LeaseState("a", T, 0);
    LeaseState b = new LeaseState("b", T, 0);
    assertEquals(Action.CLAIM, a.tick(2_000));
    assertEquals(Action.CLAIM, b.tick(2_000));
    a.acknowledged(1, 2_000);
    b.acknowledged(1, 2_000);
    for (LeaseState s : new LeaseState[] {a, b}) {
      s.onLease("a", 1, false, 2_010);
      s.onLease("b", 1, false, 2_011);
    }
    a.tick(2_300);
    b.tick(2_300);
    assertEquals(Role.STANDBY, a.role());
    assertEquals(Role.ACTIVE, b.role());
    assertEquals("b", a.holder());
    assertEquals(-1, a.epochIfActive(2_300));
  }

  @Test
  void activePlannerThatSeesAHigherEpochStepsDownAtOnce() {
    LeaseState a = new LeaseState("a", T, 0);
    becomeActive(a, 2_000);
    a.onLease("b", 2, false, 2_400);
    assertEquals(Role.STANDBY, a.role());
    assertEquals(-1, a.epochIfActive(2_400));
    assertEquals(Action.NONE, a.tick(2_500), "b holds it now");
  }

  @Test
  void restartedPlannerFindingItsOwnRetainedLeaseTakesTheNextEpochAtOnce() {
    LeaseState a = new LeaseState("a", T, 0);
    a.onLease("a", 7, false, 10);
    assertEquals(Action.CLAIM, a.tick(20));
    assertEquals(8, a.epoch());
  }

  @Test
  void releasedPlannerNeitherPublishesNorRenews() {
    LeaseState a = new LeaseState("a", T, 0);
    becomeActive(a, 2_000);
    assertEquals(true, a.release());
    assertEquals(-1, a.epochIfActive(2_310));
    assertEquals(false, a.release());
  }

  @Test
  void ownClaimEchoedAfterSteppingDownIsNotMistakenForAPreviousRunsLease() {
    LeaseState a = new LeaseState("a", T, 0);
    assertEquals(Action.CLAIM, a.tick(2_000));
    a.onLease("b", 1, false, 2_005); // b's equal-epoch claim wins on the id
    assertEquals(Role.STANDBY, a.role());
    a.onLease("a", 1, false, 2_010); // a's own claim, echoed late
    assertEquals(Action.NONE, a.tick(2_100));
    assertEquals("b", a.holder());
  }
}
