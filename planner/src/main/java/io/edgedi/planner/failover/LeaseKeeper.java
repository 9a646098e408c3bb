package io.edgedi.planner.failover;

import io.edgedi.planner.Rejections;
import io.edgedi.schemas.PlannerLease;
import io.edgedi.schemas.codec.BadMessageException;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.transport.Clock;
import io.edgedi.transport.Wire;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this planner's side of the site's lease ({@link LeaseState}): a thread that ticks the rules
 * every {@value #TICK_MILLIS} ms and publishes claims and renewals (retained) on the lease topic,
 * the handler of that topic, and the last will that releases the lease when the planner's
 * connection dies. It tells a {@link Listener}, on its own thread, when this planner becomes active
 * and when it stops being active.
 */
public final class LeaseKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);
  static final long TICK_MILLIS = 50;

  /** Told on the lease thread, in order. */
  public interface Listener {
    void activated(long epoch);

    void deactivated();
  }

  /** Publishes a retained message and returns once the broker has it. */
  @FunctionalInterface
  public interface RetainedOutbox {
    void publish(String topic, byte[] payload) throws MqttException;
  }

  private final String plannerId;
  private final String topic;
  private final LeaseState state;
  private final RetainedOutbox outbox;
  private final Listener listener;
  private final Rejections rejections;
  private final MessageCodec<PlannerLease> codec = Wire.PLANNER_LEASE.codec();
  private volatile boolean running = true;
  private Thread thread;
  private LeaseState.Role told = LeaseState.Role.STANDBY;

  public LeaseKeeper(
      String plannerId,
      String leaseTopic,
      LeaseState.Timing timing,
      RetainedOutbox outbox,
      Listener listener,
      Rejections rejections) {
    this.plannerId = plannerId;
    this.topic = leaseTopic;
    this.state = new LeaseState(plannerId, timing, System.currentTimeMillis());
    this.outbox = outbox;
    this.listener = listener;
    this.rejections = rejections;
  }

  /** The last will to connect with: released, whatever epoch this planner will hold by then. */
  public byte[] will() {
    return encode(LeaseState.ANY_EPOCH, true);
  }

  /** The lease topic's handler (Paho's callback thread: only updates the state). */
  public void accept(String leaseTopic, byte[] payload) {
    try {
      PlannerLease l = codec.decode(payload);
      long before = state.releasesSeen();
      state.onLease(l.getPlannerId(), l.getEpoch(), l.getReleased(), System.currentTimeMillis());
      if (state.releasesSeen() != before) {
        LOG.info(
            "planner {} saw {} release the lease ({})",
            plannerId,
            l.getPlannerId(),
            l.getEpoch() == LeaseState.ANY_EPOCH ? "last will" : "epoch " + l.getEpoch());
      }
    } catch (BadMessageException e) {
      rejections.reject(e.reason(), e.getMessage(), null, leaseTopic, payload.length);
    }
  }

  /** The epoch to publish classifications under, or -1 while this planner must not publish. */
  public long epochIfActive() {
    return state.epochIfActive(System.currentTimeMillis());
  }

  public LeaseState.Role role() {
    return state.role();
  }

  /** The planner believed to be active (this one's id when it is), or null. */
  public String holder() {
    return state.holder();
  }

  public void start() {
    thread = new Thread(this::run, plannerId + "-lease");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (running) {
      long now = System.currentTimeMillis();
      LeaseState.Action action = state.tick(now);
      if (action != LeaseState.Action.NONE) {
        long epoch = state.epoch();
        try {
          outbox.publish(topic, encode(epoch, false));
          state.acknowledged(epoch, now);
          if (action == LeaseState.Action.CLAIM) {
            LOG.info("planner {} claims the lease, epoch {}", plannerId, epoch);
          }
        } catch (MqttException e) {
          LOG.debug("planner {}: lease message not out: {}", plannerId, e.toString());
        }
      }
      tell();
      try {
        Thread.sleep(TICK_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void tell() {
    LeaseState.Role now = state.role();
    if (now == told || now == LeaseState.Role.CLAIMING && told == LeaseState.Role.STANDBY) {
      return;
    }
    if (now == LeaseState.Role.ACTIVE) {
      LOG.info("planner {} is active, epoch {}", plannerId, state.epoch());
      listener.activated(state.epoch());
    } else if (told == LeaseState.Role.ACTIVE) {
      LOG.warn("planner {} is no longer active; {} holds the lease", plannerId, state.holder());
      listener.deactivated();
    }
    told = now;
  }

  /**
   * Stops the lease thread and, if this planner held the lease, releases it (retained), so the
   * standby takes over without waiting for the lease to expire.
   */
  @Override
  public void close() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    long epoch = state.epoch();
    if (state.release()) {
      try {
        outbox.publish(topic, encode(epoch, true));
        LOG.info("planner {} released the lease, epoch {}", plannerId, epoch);
      } catch (MqttException e) {
        LOG.warn(
            "planner {} could not release the lease (the standby waits for it to expire): {}",
            plannerId,
            e.toString());
      }
    }
  }

  private byte[] encode(long epoch, boolean released) {
    return codec.encode(
        PlannerLease.newBuilder()
            .setPlannerId(plannerId)
            .setEpoch(epoch)
            .setReleased(released)
            .setSentAtMicros(Clock.micros())
            .build());
  }
}
