package io.edgedi.camera.source;

import io.edgedi.camera.synthetic.GrayImage;
import java.util.Objects;

/**
 * One image from a source.
 *
 * @param image the gray pixels, already at the size the source was configured for
 * @param label canonical NEU class folder name (e.g. {@code rolled-in_scale}) when the source knows
 *     the class, otherwise {@code null}
 * @param origin file path relative to the source folder, or {@code synthetic:<seed>}
 * @param capturedAtMicros when the camera took it (epoch microseconds) if the source knows (a
 *     stream's timestamps), else {@link #CAPTURE_TIME_UNKNOWN}: the gateway stamps it when it sends
 */
public record SourceImage(GrayImage image, String label, String origin, long capturedAtMicros)
    implements SourceItem {
  public static final long CAPTURE_TIME_UNKNOWN = 0;

  public SourceImage {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(origin, "origin");
  }

  /** An image whose capture time the source does not know. */
  public SourceImage(GrayImage image, String label, String origin) {
    this(image, label, origin, CAPTURE_TIME_UNKNOWN);
  }
}
