package io.edgedi.cluster;

import java.util.function.Supplier;

/**
 * Polls a condition until it holds or time runs out: the one wait of the cluster launchers and of
 * the end-to-end tests. A condition may throw (e.g. on a worker that died) to end the wait early
 * with the reason.
 */
public final class Await {
  private static final long POLL_MILLIS = 50;

  private Await() {}

  /** A condition that may fail. */
  @FunctionalInterface
  public interface Condition {
    boolean met() throws Exception;
  }

  /** True once {@code condition} holds, false if it did not within {@code timeoutMillis}. */
  public static boolean until(Condition condition, long timeoutMillis) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (!condition.met()) {
      if (System.currentTimeMillis() > deadline) {
        return false;
      }
      Thread.sleep(POLL_MILLIS);
    }
    return true;
  }

  /**
   * Returns once {@code condition} holds; throws {@link IllegalStateException} with {@code why} on
   * timeout.
   */
  public static void orFail(Condition condition, long timeoutMillis, Supplier<String> why)
      throws Exception {
    if (!until(condition, timeoutMillis)) {
      throw new IllegalStateException(why.get());
    }
  }
}
