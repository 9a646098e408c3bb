package io.edgedi.cli.demo;

import io.edgedi.schemas.Classification;
import io.edgedi.schemas.codec.MessageCodec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an MES sees: every classification, by frame id, counting duplicates. Fed from the MES
 * user's subscription, so the demo measures the system from the outside.
 */
public final class ResultCollector {
  private final MessageCodec<Classification> codec = new MessageCodec<>(Classification.class, 1 << 20);
  private final Map<String, Classification> byFrame = new ConcurrentHashMap<>();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong unreadable = new AtomicLong();

  public void accept(String topic, byte[] payload) {
    try {
      Classification c = codec.decode(payload);
      if (byFrame.putIfAbsent(c.getFrameId(), c) != null) {
        duplicates.incrementAndGet();
      }
    } catch (Exception e) {
      unreadable.incrementAndGet();
    }
  }

  public Map<String, Classification> byFrame() {
    return byFrame;
  }

  public long duplicates() {
    return duplicates.get();
  }

  public long unreadable() {
    return unreadable.get();
  }
}
