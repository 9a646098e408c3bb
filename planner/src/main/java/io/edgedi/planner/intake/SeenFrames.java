package io.edgedi.planner.intake;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids of the last frames taken on (in memory only; the journal remembers classified ones across
 * restarts). The intake asks it to refuse a repeated frame id; the result routing asks it to tell a
 * late result of a finished frame (harmless) from one of a frame never seen (dead letter). Bounded,
 * so a long run does not grow it. Thread-safe: Paho's callback threads of both connections and the
 * start-up thread call it.
 */
public final class SeenFrames {
  private final Map<String, Boolean> ids;

  public SeenFrames(int capacity) {
    this.ids =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Remembers the id; true if it was already remembered. */
  public synchronized boolean add(String frameId) {
    return ids.put(frameId, Boolean.TRUE) != null;
  }

  public synchronized boolean contains(String frameId) {
    return ids.containsKey(frameId);
  }
}
