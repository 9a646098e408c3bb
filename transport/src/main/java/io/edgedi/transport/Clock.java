package io.edgedi.transport;

import java.time.Instant;

/** Wall-clock microseconds since the epoch, the unit of every timestamp on the wire. */
public final class Clock {
  private Clock() {}

  public static long micros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }
}
