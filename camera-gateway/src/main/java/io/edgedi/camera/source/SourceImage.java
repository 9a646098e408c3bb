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
 */
public record SourceImage(GrayImage image, String label, String origin) implements SourceItem {
    public SourceImage {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(origin, "origin");
    }
}
