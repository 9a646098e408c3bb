package io.edgedi.planner;

import io.edgedi.schemas.codec.RejectReason;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The planner's observers as one {@link PlannerListener}: each event goes to every listener, and a
 * listener that throws is logged and skipped, so an observer bug never costs a frame. Thread-safe:
 * listeners may be added while frame threads (orchestrator, lanes) and Paho's callback threads
 * report events.
 */
public final class PlannerListeners implements PlannerListener {
  private static final Logger LOG = LoggerFactory.getLogger(PlannerListeners.class);
  private final List<PlannerListener> listeners = new CopyOnWriteArrayList<>();

  public void add(PlannerListener listener) {
    listeners.add(listener);
  }

  @Override
  public void onClassified(FrameReport report) {
    tell(l -> l.onClassified(report));
  }

  @Override
  public void onFrameFailed(String frameId, String reason, boolean willRetry) {
    tell(l -> l.onFrameFailed(frameId, reason, willRetry));
  }

  @Override
  public void onRejected(RejectReason reason) {
    tell(l -> l.onRejected(reason));
  }

  @Override
  public void onLeaseChanged(boolean active, long epoch) {
    tell(l -> l.onLeaseChanged(active, epoch));
  }

  private void tell(Consumer<PlannerListener> event) {
    for (PlannerListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        LOG.warn("planner listener failed: {}", e.toString());
      }
    }
  }
}
