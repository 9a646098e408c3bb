package io.edgedi.inference.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.proto.ConfigProto;

/**
 * The process-wide TensorFlow session settings. TF's first session fixes the intra-op thread pool
 * for the whole process (later sessions reuse it whatever they ask for), so the thread count is
 * chosen once, before any model runs.
 */
public final class TfRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(TfRuntime.class);
  private static int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
  private static boolean used;

  private TfRuntime() {}

  /** Chooses the intra-op thread count; call before the first model is loaded. */
  public static synchronized void useThreads(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + count);
    }
    if (used && count != threads) {
      LOG.warn(
          "TensorFlow already runs with {} threads; {} takes effect only in a new process",
          threads,
          count);
      return;
    }
    threads = count;
  }

  public static synchronized int threads() {
    return threads;
  }

  static synchronized ConfigProto sessionConfig() {
    used = true;
    return sessionConfig(threads);
  }

  static ConfigProto sessionConfig(int threads) {
    // With one thread, a negative inter-op count makes TF run every op on the calling thread: the
    // graphs are chains with nothing to overlap, the wall time is the same (vgg16 ~295 ms,
    // vgg16-scar
    // ~25-29 ms a frame either way, measured), the hand-off thread's own CPU use goes, and the
    // caller's thread CPU time is the run's CPU time, which an emulated device needs to pace itself
    // (worker DevicePace).
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(threads)
        .setInterOpParallelismThreads(threads == 1 ? -1 : 1)
        .build();
  }
}
