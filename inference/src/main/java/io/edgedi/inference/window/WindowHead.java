package io.edgedi.inference.window;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.edgedi.inference.weights.FoldedWeights;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A second classifier head for the windows of wide frames (line-scan strips), on the same trunk as
 * the model's own head: global average pooling, then a dense layer to the NEU classes plus {@code
 * none}. The model's own head knows only the six defects, and a window of plain steel is the common
 * case on a strip; it also was never trained on a defect covering part of the input. The trunk is
 * shared, so workers run windows exactly as frames and only the planner's last step differs.
 *
 * <p>Bound to one trunk: {@code trunkVersion} must equal the weights' version (a head trained on
 * other trunk features would classify nonsense). Stored as JSON: {@code kernel} is channels x
 * classes, row-major, as the model's own head; {@code temperature} calibrates its softmax.
 */
public record WindowHead(
    String modelId,
    String trunkVersion,
    List<String> classNames,
    int channels,
    float[] kernel,
    float[] bias,
    double temperature,
    String recipe) {
  public static final String NONE = "none";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public WindowHead {
    classNames = List.copyOf(classNames);
    if (kernel.length != channels * classNames.size() || bias.length != classNames.size()) {
      throw new IllegalArgumentException(
          "window head of "
              + channels
              + " channels and "
              + classNames.size()
              + " classes has "
              + kernel.length
              + " kernel and "
              + bias.length
              + " bias values");
    }
    if (!(temperature > 0)) {
      throw new IllegalArgumentException(
          "window head temperature must be positive: " + temperature);
    }
  }

  public int classes() {
    return classNames.size();
  }

  /** Refuses weights whose trunk this head was not trained on. */
  public WindowHead checkFits(FoldedWeights weights) {
    if (!weights.model().name().equals(modelId) || !weights.version().equals(trunkVersion)) {
      throw new IllegalArgumentException(
          "window head is for "
              + modelId
              + "@"
              + trunkVersion
              + ", not "
              + weights.model().name()
              + "@"
              + weights.version());
    }
    int c = weights.model().shape(weights.model().lastNode()).channels();
    if (c != channels) {
      throw new IllegalArgumentException(
          "window head takes " + channels + " channels, the trunk gives " + c);
    }
    return this;
  }

  /** Logits from the per-channel means of the trunk output. */
  public float[] logits(double[] means) {
    if (means.length != channels) {
      throw new IllegalArgumentException(
          means.length + " means for a head of " + channels + " channels");
    }
    int k = classes();
    float[] out = new float[k];
    for (int j = 0; j < k; j++) {
      double z = bias[j];
      for (int i = 0; i < channels; i++) {
        z += means[i] * kernel[i * k + j];
      }
      out[j] = (float) z;
    }
    return out;
  }

  public void write(Path file) throws IOException {
    JSON.writeValue(file.toFile(), this);
  }

  public static WindowHead read(Path file) throws IOException {
    return JSON.readValue(file.toFile(), WindowHead.class);
  }

  public static WindowHead read(InputStream in) throws IOException {
    return JSON.readValue(in, WindowHead.class);
  }
}
