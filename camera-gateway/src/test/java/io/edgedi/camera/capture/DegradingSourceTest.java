package io.edgedi.camera.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.edgedi.camera.source.FrameSource;
import io.edgedi.camera.source.SourceImage;
import io.edgedi.camera.source.SourceItem;
import io.edgedi.camera.source.SyntheticSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DegradingSourceTest {
  @Test
  void degradesImagesKeepsLabelsAndAcknowledgesTheOriginal() throws Exception {
    List<SourceImage> given = new ArrayList<>();
    List<SourceImage> acknowledged = new ArrayList<>();
    SyntheticSource synthetic = new SyntheticSource(4, 2);
    FrameSource recording =
        new FrameSource() {
          @Override
          public Optional<SourceItem> next() throws InterruptedException {
            Optional<SourceItem> item = synthetic.next();
            item.ifPresent(i -> given.add((SourceImage) i));
            return item;
          }

          @Override
          public void done(SourceImage image, boolean published) {
            acknowledged.add(image);
          }

          @Override
          public void close() {}
        };
    try (DegradingSource source = new DegradingSource(recording, Degradation.parse("noise:8"), 1)) {
      SourceImage out = (SourceImage) source.next().orElseThrow();
      SourceImage original = given.get(0);
      assertEquals(original.label(), out.label());
      assertFalse(Arrays.equals(original.image().pixels(), out.image().pixels()));
      source.done(out, true);
      assertSame(original, acknowledged.get(0));
    }
  }
}
