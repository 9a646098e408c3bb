package io.edgedi.cli;

import io.edgedi.cli.report.WindowHeadReport;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.window.WindowGrid;
import io.edgedi.inference.window.WindowHead;
import io.edgedi.training.window.WindowAccuracy;
import io.edgedi.training.window.WindowHeadTrainer;
import io.edgedi.training.window.WindowSamples;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Trains the window head of a model (a head with a {@code none} class for the windows of line-scan
 * strips, {@link WindowHead}) on generated strips, and scores it on other strips cut as the planner
 * cuts them.
 */
@Command(
    name = "window-head",
    mixinStandardHelpOptions = true,
    description =
        "Train a window head (the NEU classes plus 'none') on generated line-scan strips for a model's "
            + "trunk, and report its window accuracy on held-out strips.")
final class WindowHeadCommand implements Callable<Integer> {
  /**
   * Strip seeds: training from here, the temperature fit from {@link #CALIBRATION_SEED}; tests from
   * 1 like the demo.
   */
  static final long TRAIN_SEED = 1_000;

  static final long CALIBRATION_SEED = 5_000;

  @Mixin ModelOptions model;

  @Option(names = "--out", required = true, description = "Window head file to write (JSON).")
  Path out;

  @Option(
      names = "--frames",
      defaultValue = "250",
      description = "Training strips (default ${DEFAULT-VALUE}).")
  int frames;

  @Option(
      names = "--per-frame",
      defaultValue = "30",
      description = "Random windows per training strip (default ${DEFAULT-VALUE}).")
  int perFrame;

  @Option(
      names = "--keep-none",
      defaultValue = "0.7",
      description = "Share of defect-free training windows kept (default ${DEFAULT-VALUE}).")
  double keepNone;

  @Option(
      names = "--calibration-frames",
      defaultValue = "30",
      description = "Strips for the temperature fit (default ${DEFAULT-VALUE}).")
  int calibrationFrames;

  @Option(
      names = "--test-frames",
      defaultValue = "30",
      description = "Strips to score it on (default ${DEFAULT-VALUE}).")
  int testFrames;

  @Option(
      names = "--width",
      defaultValue = "1024",
      description = "Strip width (default ${DEFAULT-VALUE}).")
  int width;

  @Option(
      names = "--rows",
      defaultValue = "600",
      description = "Strip rows (default ${DEFAULT-VALUE}).")
  int rows;

  @Option(
      names = "--seed",
      defaultValue = "5",
      description = "Seed of the window places (default ${DEFAULT-VALUE}).")
  long seed;

  @Mixin TfThreads threads;

  @Option(names = "--json", description = "Write the report here.")
  Path json;

  @Override
  public Integer call() throws Exception {
    threads.apply();
    FoldedWeights weights = model.load();
    List<String> classes = new ArrayList<>(weights.model().classNames());
    classes.add(WindowHead.NONE);
    WindowSamples samples = new WindowSamples(weights, width, rows);
    WindowGrid grid =
        WindowGrid.adjacent(weights.model().inputWidth(), weights.model().inputHeight());
    List<WindowSamples.Sample> train;
    List<WindowSamples.Sample> calibration;
    List<WindowSamples.Sample> test;
    try (ProgressBar bar = new ProgressBar("strips", frames + calibrationFrames + testFrames)) {
      train = samples.random(TRAIN_SEED, frames, perFrame, keepNone, seed, n -> bar.step());
      calibration = samples.grid(CALIBRATION_SEED, calibrationFrames, grid, n -> bar.step());
      test = samples.grid(1, testFrames, grid, n -> bar.step());
    }
    String recipe =
        String.format(
            java.util.Locale.ROOT,
            "window-head --frames %d --per-frame %d --keep-none %s "
                + "--calibration-frames %d --width %d --rows %d --seed %d",
            frames,
            perFrame,
            keepNone,
            calibrationFrames,
            width,
            rows,
            seed);
    WindowHead head =
        WindowHeadTrainer.fit(
            weights.model().name(),
            weights.version(),
            classes,
            means(train),
            labels(train, classes),
            means(calibration),
            labels(calibration, classes),
            WindowHeadTrainer.Settings.defaults(),
            recipe);
    head.write(out);
    WindowAccuracy accuracy = new WindowAccuracy();
    for (WindowSamples.Sample s : test) {
      float[] z = head.logits(s.means());
      int best = 0;
      for (int i = 1; i < z.length; i++) {
        best = z[i] > z[best] ? i : best;
      }
      accuracy.add(s.label(), classes.get(best));
    }
    WindowHeadReport report =
        new WindowHeadReport(
            weights.model().name() + "@" + weights.version(),
            out.toString(),
            train.size(),
            calibration.size(),
            head.temperature(),
            testFrames,
            accuracy.summary(classes));
    if (json != null) {
      Json.write(json, report);
    }
    System.out.println(Json.MAPPER.writeValueAsString(report));
    return 0;
  }

  private static double[][] means(List<WindowSamples.Sample> samples) {
    return samples.stream().map(WindowSamples.Sample::means).toArray(double[][]::new);
  }

  private static int[] labels(List<WindowSamples.Sample> samples, List<String> classes) {
    return samples.stream().mapToInt(s -> classes.indexOf(s.label().className())).toArray();
  }
}
