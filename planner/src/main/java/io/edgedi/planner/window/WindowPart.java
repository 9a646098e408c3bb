package io.edgedi.planner.window;

import io.edgedi.inference.window.Window;

/** A queue item that is one window of a {@link WindowedFrame}. */
public record WindowPart(WindowedFrame frame, Window window) {}
