package io.edgedi.cli.demo;

import io.edgedi.schemas.Classification;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.transport.Wire;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * What an MES sees: every classification, by frame id, counting duplicates. Fed from the MES user's
 * subscription, so the demo measures the system from the outside. A classification of a frame seen
 * before counts as a duplicate unless it says it is a repeat (published again after a planner
 * failover: docs/decisions/004-planner-failover.md); those count as repeats.
 */
public final class ResultCollector {
  private final MessageCodec<Classification> codec = Wire.CLASSIFICATION.codec();
  private final Map<String, Classification> byFrame = new ConcurrentHashMap<>();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong repeats = new AtomicLong();
  private final AtomicLong markedFirst = new AtomicLong();
  private final AtomicLong unreadable = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final CopyOnWriteArrayList<BiConsumer<Classification, Long>> observers =
      new CopyOnWriteArrayList<>();

  /** Also hands every classification, with its arrival time in ms, to {@code observer}. */
  public void observe(BiConsumer<Classification, Long> observer) {
    observers.add(observer);
  }

  public void accept(String topic, byte[] payload) {
    long now = System.currentTimeMillis();
    received.incrementAndGet();
    try {
      Classification c = codec.decode(payload);
      if (byFrame.putIfAbsent(c.getFrameId(), c) != null) {
        (c.getRepeat() ? repeats : duplicates).incrementAndGet();
      } else if (c.getRepeat()) {
        markedFirst.incrementAndGet();
      }
      observers.forEach(o -> o.accept(c, now));
    } catch (Exception e) {
      unreadable.incrementAndGet();
    }
  }

  public Map<String, Classification> byFrame() {
    return byFrame;
  }

  /** Classifications of a frame seen before that do not say they are repeats. */
  public long duplicates() {
    return duplicates.get();
  }

  /** Classifications of a frame seen before that say they are repeats (after a failover). */
  public long repeats() {
    return repeats.get();
  }

  /** Classifications marked as possible repeats that were in fact the frame's first. */
  public long markedButFirst() {
    return markedFirst.get();
  }

  /** Classification messages received, repeats and unreadable ones included. */
  public long received() {
    return received.get();
  }

  public long unreadable() {
    return unreadable.get();
  }
}
