package io.edgedi.cli.report;

import io.edgedi.training.window.WindowAccuracy;

/**
 * What {@code edgedi window-head --json} writes: the head trained, on what, and how it scored on
 * held-out strips.
 */
public record WindowHeadReport(
    String model,
    String out,
    int trainWindows,
    int calibrationWindows,
    double temperature,
    int testStrips,
    WindowAccuracy.Summary test) {}
