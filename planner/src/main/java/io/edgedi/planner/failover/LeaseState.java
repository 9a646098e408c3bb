package io.edgedi.planner.failover;

/**
 * Which planner of a site is active, as one planner sees it: the lease rules of
 * docs/decisions/004-planner-failover.md without any I/O, so they can be tested step by step.
 *
 * <p>A claim is ordered by {@code (epoch, plannerId)}; the higher one wins and the lower one's
 * owner steps down. A standby claims the next epoch when the holder released the lease (its last
 * will or a graceful stop), when the holder was not heard for {@code expiryMillis}, or, when no
 * holder was ever heard, {@code firstClaimMillis} after start. A claim becomes active once the
 * broker echoed it and {@code settleMillis} passed without a higher claim. The active planner
 * renews every {@code renewMillis} and may publish only while its last renewal the broker
 * acknowledged is younger than {@code fenceMillis}: shorter than the standby's expiry, so a planner
 * cut off from the broker stops publishing before the standby takes over.
 *
 * <p>Thread-safe: the lease thread ticks, Paho's callback thread reports lease messages, frame
 * threads ask {@link #epochIfActive}.
 */
public final class LeaseState {
  /** What this planner is now. */
  public enum Role {
    STANDBY,
    CLAIMING,
    ACTIVE
  }

  /** What the lease thread must publish after a tick. */
  public enum Action {
    NONE,
    CLAIM,
    RENEW
  }

  /** Milliseconds of the lease rules. */
  public record Timing(
      long renewMillis,
      long fenceMillis,
      long expiryMillis,
      long settleMillis,
      long firstClaimMillis) {
    public static Timing defaults() {
      return new Timing(500, 1_000, 2_000, 300, 2_000);
    }
  }

  /** A will's epoch: the sender gives up whatever epoch it held (a will is fixed at connect). */
  public static final long ANY_EPOCH = -1;

  private final String me;
  private final Timing timing;
  private final long startedMillis;
  private Role role = Role.STANDBY;
  private long epoch;
  private boolean echoed;
  private long claimedMillis;
  private long renewedMillis;
  private long sentMillis;
  private String holder;
  private long holderEpoch;
  private boolean holderReleased;
  private long heardMillis;
  private long releasedSeen;

  public LeaseState(String plannerId, Timing timing, long nowMillis) {
    this.me = plannerId;
    this.timing = timing;
    this.startedMillis = nowMillis;
  }

  public synchronized Role role() {
    return role;
  }

  /** The epoch this planner may publish under now, or -1 if it must not publish. */
  public synchronized long epochIfActive(long nowMillis) {
    return role == Role.ACTIVE && nowMillis - renewedMillis < timing.fenceMillis() ? epoch : -1;
  }

  /** The epoch of this planner's current claim (0 before the first). */
  public synchronized long epoch() {
    return epoch;
  }

  /** The planner this one believes holds the lease (itself when active), or null. */
  public synchronized String holder() {
    return role == Role.ACTIVE ? me : holder;
  }

  /** How many times the holder was seen releasing the lease (its last will or a graceful stop). */
  public synchronized long releasesSeen() {
    return releasedSeen;
  }

  /**
   * A lease message arrived (a retained one too: it tells the epoch, and gives its holder time).
   */
  public synchronized void onLease(
      String plannerId, long leaseEpoch, boolean released, long nowMillis) {
    if (plannerId.equals(me)) {
      if (role != Role.STANDBY && leaseEpoch == epoch && !released) {
        echoed = true;
      } else if (role == Role.STANDBY && !released && leaseEpoch > epoch) {
        // A lease of this planner's previous run: that run is gone (the broker lets one
        // connection hold this client id), so the lease is free at once; its epoch still counts.
        holder = me;
        holderEpoch = Math.max(holderEpoch, leaseEpoch);
        holderReleased = true;
      }
      return;
    }
    if (released) {
      if (plannerId.equals(holder) && (leaseEpoch == holderEpoch || leaseEpoch == ANY_EPOCH)) {
        holderReleased = true;
        releasedSeen++;
      }
      return;
    }
    int vsHolder = holder == null ? 1 : compare(leaseEpoch, plannerId, holderEpoch, holder);
    if (vsHolder >= 0) {
      holder = plannerId;
      holderEpoch = leaseEpoch;
      holderReleased = false;
      heardMillis = nowMillis;
    }
    if (role != Role.STANDBY && compare(leaseEpoch, plannerId, epoch, me) > 0) {
      role = Role.STANDBY; // a higher claim: step down at once, nothing more is published
    }
  }

  /** Advances the rules; the caller publishes what the action says and reports the outcome. */
  public synchronized Action tick(long nowMillis) {
    switch (role) {
      case STANDBY -> {
        boolean free =
            holder == null
                ? nowMillis - startedMillis >= timing.firstClaimMillis()
                : holderReleased || nowMillis - heardMillis >= timing.expiryMillis();
        if (!free) {
          return Action.NONE;
        }
        epoch = Math.max(epoch, holderEpoch) + 1;
        role = Role.CLAIMING;
        echoed = false;
        claimedMillis = nowMillis;
        sentMillis = nowMillis;
        return Action.CLAIM;
      }
      case CLAIMING -> {
        if (echoed && nowMillis - claimedMillis >= timing.settleMillis()) {
          role = Role.ACTIVE;
          holder = me;
          holderEpoch = epoch;
          holderReleased = false;
          return nowMillis - renewedMillis < timing.fenceMillis() ? Action.NONE : renew(nowMillis);
        }
        return !echoed && nowMillis - sentMillis >= timing.renewMillis()
            ? claimAgain(nowMillis)
            : Action.NONE;
      }
      default -> {
        return nowMillis - sentMillis >= timing.renewMillis() ? renew(nowMillis) : Action.NONE;
      }
    }
  }

  private Action claimAgain(long nowMillis) {
    sentMillis = nowMillis;
    return Action.CLAIM;
  }

  private Action renew(long nowMillis) {
    sentMillis = nowMillis;
    return Action.RENEW;
  }

  /**
   * The broker acknowledged this planner's lease message of {@code sentEpoch}, published at {@code
   * sentAtMillis}: the fence counts from when it was sent, not from when the ack came.
   */
  public synchronized void acknowledged(long sentEpoch, long sentAtMillis) {
    if (sentEpoch == epoch && role != Role.STANDBY) {
      renewedMillis = Math.max(renewedMillis, sentAtMillis);
    }
  }

  /** Gives the lease up (graceful stop); true if this planner held or claimed it. */
  public synchronized boolean release() {
    boolean had = role != Role.STANDBY;
    role = Role.STANDBY;
    renewedMillis = 0;
    return had;
  }

  private static int compare(long epochA, String idA, long epochB, String idB) {
    int c = Long.compare(epochA, epochB);
    return c != 0 ? c : idA.compareTo(idB);
  }
}
