package io.edgedi.inference.runtime;

import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.weights.FoldedWeights;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Runs stages of one model with fixed weights on bands. Segment graphs are built on first use and
 * kept, so a steady plan pays graph construction and TF warm-up once. Thread-safe; owns the graphs
 * and closes them in {@link #close()}.
 */
public final class SliceRunner implements AutoCloseable {
  private final FoldedWeights weights;
  private final ConcurrentMap<Segment, SegmentGraph> graphs = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public SliceRunner(FoldedWeights weights) {
    this.weights = weights;
  }

  public FoldedWeights weights() {
    return weights;
  }

  /**
   * Starts worker {@code worker}'s run of a stage. {@code band} must hold exactly the rows the
   * geometry assigns as that worker's input (halo included). The caller closes the run.
   */
  public StageRun start(StageGeometry geometry, int worker, FeatureMap band) {
    if (!geometry.model().equals(weights.model())) {
      throw new IllegalArgumentException(
          "geometry is for " + geometry.model() + ", weights for " + weights.model());
    }
    return new StageRun(this, geometry, worker, band);
  }

  SegmentGraph graph(Segment segment) {
    if (closed) {
      throw new IllegalStateException("slice runner closed");
    }
    return graphs.computeIfAbsent(segment, s -> new SegmentGraph(weights.model(), weights, s));
  }

  /** Graphs built so far (each holds its share of the weights in native memory). */
  public int cachedGraphs() {
    return graphs.size();
  }

  @Override
  public void close() {
    closed = true;
    graphs.values().forEach(SegmentGraph::close);
    graphs.clear();
  }
}
