package io.edgedi.inference.weights;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedi.inference.model.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code .edw} weight file, format version 1 (see inference/README.md):
 *
 * <pre>
 *   8 bytes   magic "EDGEDIW\n"
 *   4 bytes   format version, big-endian (1)
 *   4 bytes   header length N, big-endian
 *   N bytes   header, UTF-8 JSON: {"model": ModelSpec, "dtype": "float32"|"float16",
 *             "tensors": [{"name", "shape"}...], "metadata": {...}}
 *   data      every tensor in header order, little-endian float32 or IEEE float16
 *   32 bytes  SHA-256 of everything above
 * </pre>
 *
 * The model description travels in the header, so a pruned model loads without flags; the checksum
 * catches truncation and corruption, and its first 12 hex digits are the weights' version as
 * reported in classifications.
 */
public final class WeightFile {
  public static final int FORMAT_VERSION = 1;
  private static final byte[] MAGIC = "EDGEDIW\n".getBytes(StandardCharsets.US_ASCII);
  private static final int DIGEST_BYTES = 32;
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  /** Storage precision of the tensor data. */
  public enum Precision {
    FLOAT32,
    FLOAT16
  }

  /** A loaded file: the weights and the version derived from its checksum. */
  public record Loaded(ModelWeights weights, String version) {
    public FoldedWeights folded() {
      return FoldedWeights.fold(weights, version);
    }
  }

  private WeightFile() {}

  public static byte[] encode(ModelWeights weights, Precision precision) {
    ObjectNode header = JSON.createObjectNode();
    header.set("model", JSON.valueToTree(weights.model()));
    header.put("dtype", precision == Precision.FLOAT16 ? "float16" : "float32");
    ArrayNode list = header.putArray("tensors");
    long dataBytes = 0;
    int bytesPer = precision == Precision.FLOAT16 ? 2 : 4;
    for (NamedTensor t : weights.tensors()) {
      ObjectNode entry = list.addObject();
      entry.put("name", t.name());
      ArrayNode shape = entry.putArray("shape");
      for (int d : t.shape()) {
        shape.add(d);
      }
      dataBytes += (long) t.values().length * bytesPer;
    }
    header.set("metadata", JSON.valueToTree(weights.metadata()));
    byte[] headerBytes;
    try {
      headerBytes = JSON.writeValueAsBytes(header);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write weight header", e);
    }
    long total = MAGIC.length + 8L + headerBytes.length + dataBytes + DIGEST_BYTES;
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("weights too large for one file: " + total + " bytes");
    }
    ByteBuffer buf = ByteBuffer.allocate((int) total);
    buf.put(MAGIC).putInt(FORMAT_VERSION).putInt(headerBytes.length).put(headerBytes);
    buf.order(ByteOrder.LITTLE_ENDIAN);
    for (NamedTensor t : weights.tensors()) {
      for (float v : t.values()) {
        if (precision == Precision.FLOAT16) {
          buf.putShort(Half.fromFloat(v));
        } else {
          buf.putFloat(v);
        }
      }
    }
    buf.put(sha256(buf.array(), buf.position()));
    return buf.array();
  }

  public static String write(Path file, ModelWeights weights, Precision precision)
      throws IOException {
    byte[] bytes = encode(weights, precision);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    // Write then rename, so a crash never leaves a half-written file under the real name.
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return versionOf(bytes);
  }

  public static Loaded read(Path file) throws IOException {
    return decode(Files.readAllBytes(file), file.toString());
  }

  public static Loaded read(InputStream in, String source) throws IOException {
    return decode(in.readAllBytes(), source);
  }

  /**
   * Reads a file that must hold weights for {@code expectedModel} (a zoo name; a pruned model keeps
   * its base name).
   */
  public static Loaded read(Path file, String expectedModel) throws IOException {
    Loaded loaded = read(file);
    String actual = loaded.weights().model().name();
    if (!actual.equals(expectedModel)) {
      throw new WeightFileException(
          file + " holds weights for model '" + actual + "', not '" + expectedModel + "'");
    }
    return loaded;
  }

  public static Loaded decode(byte[] bytes, String source) {
    int minimum = MAGIC.length + 8 + DIGEST_BYTES;
    if (bytes.length < minimum || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new WeightFileException(
          source + " is not an EdgeDI weight file (bad magic or " + bytes.length + " bytes only)");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    buf.position(MAGIC.length);
    int format = buf.getInt();
    if (format != FORMAT_VERSION) {
      throw new WeightFileException(
          source
              + " has weight format version "
              + format
              + "; this build reads version "
              + FORMAT_VERSION);
    }
    byte[] stored = Arrays.copyOfRange(bytes, bytes.length - DIGEST_BYTES, bytes.length);
    if (!MessageDigest.isEqual(stored, sha256(bytes, bytes.length - DIGEST_BYTES))) {
      throw new WeightFileException(source + " is truncated or corrupt (SHA-256 mismatch)");
    }
    int headerLength = buf.getInt();
    if (headerLength < 2 || headerLength > bytes.length - minimum) {
      throw new WeightFileException(source + ": header length " + headerLength + " out of range");
    }
    try {
      JsonNode header =
          JSON.readTree(Arrays.copyOfRange(bytes, buf.position(), buf.position() + headerLength));
      buf.position(buf.position() + headerLength);
      ModelSpec model = JSON.treeToValue(header.get("model"), ModelSpec.class);
      String dtype = header.path("dtype").asText("float32");
      boolean half = dtype.equals("float16");
      if (!half && !dtype.equals("float32")) {
        throw new WeightFileException(source + ": unknown dtype " + dtype);
      }
      buf.order(ByteOrder.LITTLE_ENDIAN);
      List<NamedTensor> tensors = new ArrayList<>();
      for (JsonNode entry : header.get("tensors")) {
        int[] shape = JSON.treeToValue(entry.get("shape"), int[].class);
        long count = NamedTensor.elements(shape);
        long need = count * (half ? 2 : 4);
        if (count < 0 || need > buf.remaining() - DIGEST_BYTES) {
          throw new WeightFileException(
              source + ": tensor " + entry.get("name").asText() + " runs past the end of the file");
        }
        float[] v = new float[(int) count];
        for (int i = 0; i < v.length; i++) {
          v[i] = half ? Half.toFloat(buf.getShort()) : buf.getFloat();
        }
        tensors.add(new NamedTensor(entry.get("name").asText(), shape, v));
      }
      if (buf.remaining() != DIGEST_BYTES) {
        throw new WeightFileException(
            source + ": " + (buf.remaining() - DIGEST_BYTES) + " bytes after the last tensor");
      }
      Map<String, String> metadata = new LinkedHashMap<>();
      header
          .path("metadata")
          .fields()
          .forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
      return new Loaded(new ModelWeights(model, tensors, metadata), versionOf(bytes));
    } catch (IOException | RuntimeException e) {
      if (e instanceof WeightFileException w) {
        throw w;
      }
      throw new WeightFileException(source + ": unreadable weights: " + e.getMessage(), e);
    }
  }

  private static String versionOf(byte[] fileBytes) {
    return HexFormat.of()
        .formatHex(fileBytes, fileBytes.length - DIGEST_BYTES, fileBytes.length - DIGEST_BYTES + 6);
  }

  private static byte[] sha256(byte[] bytes, int length) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(bytes, 0, length);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from this JVM", e);
    }
  }
}
