package io.edgedi.cli;

import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.window.WindowHead;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How a planner classifies frames larger than the model input (line-scan strips): windows and their
 * head.
 */
final class WindowOptions {
  /** The window head of the shipped model (training/README.md says how it was made). */
  static final String SHIPPED_HEAD = "/models/window-head.json";

  @Option(
      names = "--window-stride",
      defaultValue = "${env:EDGEDI_WINDOW_STRIDE:-0}",
      description =
          "Cut frames larger than the model input into windows of its size every N pixels "
              + "(env EDGEDI_WINDOW_STRIDE; default 0: one window size, windows side by side; negative: refuse such frames).")
  int stride;

  @Option(
      names = "--window-head",
      defaultValue = "${env:EDGEDI_WINDOW_HEAD}",
      description =
          "Window head file (env EDGEDI_WINDOW_HEAD; default: the shipped one when it fits the weights, "
              + "else windows use the model's own head).")
  Path head;

  /** The head to use with these weights, or null for the model's own head. */
  WindowHead load(FoldedWeights weights) throws IOException {
    if (head != null) {
      return WindowHead.read(head).checkFits(weights);
    }
    try (InputStream in = WindowOptions.class.getResourceAsStream(SHIPPED_HEAD)) {
      if (in == null) {
        return null;
      }
      WindowHead shipped = WindowHead.read(in);
      return shipped.modelId().equals(weights.model().name())
              && shipped.trunkVersion().equals(weights.version())
          ? shipped.checkFits(weights)
          : null;
    }
  }
}
