package io.edgedi.cli;

import io.edgedi.inference.runtime.TfRuntime;
import picocli.CommandLine.Option;

/**
 * {@code --threads} of the commands that run a model in their own process (train, eval, models,
 * ...).
 */
final class TfThreads {
  @Option(
      names = "--threads",
      defaultValue = "1",
      description = "TF intra-op threads (default ${DEFAULT-VALUE}).")
  int threads;

  /** Before anything starts TF: the thread count is fixed at its first use. */
  void apply() {
    TfRuntime.useThreads(threads);
  }
}
