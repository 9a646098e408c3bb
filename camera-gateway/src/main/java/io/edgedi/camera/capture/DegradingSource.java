package io.edgedi.camera.capture;

import io.edgedi.camera.source.FrameSource;
import io.edgedi.camera.source.SourceImage;
import io.edgedi.camera.source.SourceItem;
import io.edgedi.camera.synthetic.GrayImage;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A source whose images pass through a {@link Degradation} first: the demo line as a worse camera
 * would deliver it. Each image's random draw depends on the seed and its origin only, so a run is
 * repeatable. Acknowledgements ({@link #done}) reach the wrapped source with its own image.
 */
public final class DegradingSource implements FrameSource {
  private final FrameSource inner;
  private final Degradation degradation;
  private final long seed;
  private final Map<SourceImage, SourceImage> originals = new IdentityHashMap<>();

  public DegradingSource(FrameSource inner, Degradation degradation, long seed) {
    this.inner = inner;
    this.degradation = degradation;
    this.seed = seed;
  }

  @Override
  public Optional<SourceItem> next() throws InterruptedException {
    Optional<SourceItem> item = inner.next();
    if (item.isEmpty() || !(item.get() instanceof SourceImage img) || degradation.isNone()) {
      return item;
    }
    GrayImage g = img.image();
    byte[] px =
        degradation.apply(g.pixels(), g.height(), g.width(), seed ^ img.origin().hashCode());
    SourceImage out =
        new SourceImage(
            new GrayImage(g.width(), g.height(), px),
            img.label(),
            img.origin() + " [" + degradation + "]");
    synchronized (originals) {
      originals.put(out, img);
    }
    return Optional.of(out);
  }

  @Override
  public void done(SourceImage image, boolean published) {
    SourceImage original;
    synchronized (originals) {
      original = originals.remove(image);
    }
    inner.done(original != null ? original : image, published);
  }

  @Override
  public void close() {
    inner.close();
  }
}
