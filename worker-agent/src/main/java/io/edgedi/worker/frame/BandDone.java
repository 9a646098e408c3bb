package io.edgedi.worker.frame;

/** One band this worker finished: its work, time and TF runs, for the worker's own speed meter. */
public record BandDone(long macs, long computeMicros, int runs, boolean cold) {}
