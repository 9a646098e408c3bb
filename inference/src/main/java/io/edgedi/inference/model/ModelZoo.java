package io.edgedi.inference.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The models of the EdgeDI comparison, for single-channel input and the NEU-CLS classes.
 *
 * <p>Baselines: VGG-13/16 trunks (3x3 conv + BatchNorm + ReLU, 2x2 max pooling) and ResNet-18 (7x7
 * stem, basic blocks). Compact forms ("-scar") replace every 3x3 conv after the stem by {@link
 * #scar}. Partition-aware compact forms ("-scarp") use the same blocks, but every block of one
 * resolution level takes its attention gate from the level's input (see {@link #scar}), so a stage
 * needs one whole-map reduction per level instead of one per block. All heads are global average
 * pooling + one dense layer, not VGG's 4096-wide FC stack: at 6 classes that stack would hold most
 * of the parameters and none of the conv work the partitioning is about.
 */
public final class ModelZoo {
  public static final List<String> NEU_CLASSES =
      List.of("crazing", "inclusion", "patches", "pitted_surface", "rolled-in_scale", "scratches");
  public static final List<String> NAMES =
      List.of(
          "vgg13",
          "vgg16",
          "resnet18",
          "vgg13-scar",
          "vgg16-scar",
          "resnet18-scar",
          "vgg13-scarp",
          "vgg16-scarp",
          "resnet18-scarp");
  public static final int IMAGE_SIZE = 200;

  private static final int POOL = -1;

  /** Which form of the compact block a model uses. */
  private enum Form {
    PLAIN,
    SCAR,
    SCARP
  }

  private static final int[] VGG13 = {
    64, 64, POOL, 128, 128, POOL, 256, 256, POOL, 512, 512, POOL, 512, 512, POOL
  };
  private static final int[] VGG16 = {
    64, 64, POOL, 128, 128, POOL, 256, 256, 256, POOL, 512, 512, 512, POOL, 512, 512, 512, POOL
  };

  private ModelZoo() {}

  public static ModelSpec byName(String name) {
    return byName(name, IMAGE_SIZE, IMAGE_SIZE);
  }

  /** A zoo model for another input size (tests use small inputs to stay fast). */
  public static ModelSpec byName(String name, int height, int width) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "vgg13" -> vgg(name, VGG13, Form.PLAIN, height, width);
      case "vgg16" -> vgg(name, VGG16, Form.PLAIN, height, width);
      case "vgg13-scar" -> vgg(name, VGG13, Form.SCAR, height, width);
      case "vgg16-scar" -> vgg(name, VGG16, Form.SCAR, height, width);
      case "vgg13-scarp" -> vgg(name, VGG13, Form.SCARP, height, width);
      case "vgg16-scarp" -> vgg(name, VGG16, Form.SCARP, height, width);
      case "resnet18" -> resnet18(name, Form.PLAIN, height, width);
      case "resnet18-scar" -> resnet18(name, Form.SCAR, height, width);
      case "resnet18-scarp" -> resnet18(name, Form.SCARP, height, width);
      default ->
          throw new IllegalArgumentException(
              "unknown model '" + name + "'; known: " + String.join(", ", NAMES));
    };
  }

  private static ModelSpec vgg(String name, int[] config, Form form, int h, int w) {
    Builder b = new Builder();
    int x = 0;
    int channels = 1;
    int block = 0;
    int conv = 0;
    // A level's gate source: the pool output that starts it; for the first level the stem conv's
    // output (the image itself has one channel, too little to gate 8-64 channels from).
    int levelInput = -1;
    for (int c : config) {
      if (c == POOL) {
        block++;
        conv = 0;
        x = b.add("pool" + block, new Op.MaxPool(2, 2, 0), x);
        levelInput = x;
        continue;
      }
      conv++;
      String prefix = "conv" + (block + 1) + "_" + conv;
      boolean stem = channels == 1;
      if (form == Form.PLAIN || stem) {
        x = b.add(prefix, new Op.Conv(3, 1, 1, channels, c, true, true), x);
        levelInput = stem ? x : levelInput;
      } else {
        x = scar(b, prefix, x, channels, c, 1, true, form == Form.SCARP ? levelInput : OWN_INPUT);
      }
      channels = c;
    }
    return new ModelSpec(name.toLowerCase(Locale.ROOT), h, w, NEU_CLASSES, b.nodes);
  }

  private static ModelSpec resnet18(String name, Form form, int h, int w) {
    boolean scar = form != Form.PLAIN;
    Builder b = new Builder();
    int x = b.add("stem", new Op.Conv(7, 2, 3, 1, 64, true, true), 0);
    x = b.add("stem_pool", new Op.MaxPool(3, 2, 1), x);
    int channels = 64;
    int[] widths = {64, 128, 256, 512};
    for (int layer = 0; layer < widths.length; layer++) {
      // A layer's gate source is its input, at the previous resolution for strided layers: the
      // only map a stage covering the layer holds before its first attention.
      int source = form == Form.SCARP ? x : OWN_INPUT;
      for (int blk = 0; blk < 2; blk++) {
        int out = widths[layer];
        int stride = layer > 0 && blk == 0 ? 2 : 1;
        String prefix = "layer" + (layer + 1) + "_" + blk;
        int in = x;
        int y =
            scar
                ? scar(b, prefix + "_a", in, channels, out, stride, true, source)
                : b.add(prefix + "_a", new Op.Conv(3, stride, 1, channels, out, true, true), in);
        y =
            scar
                ? scar(b, prefix + "_b", y, out, out, 1, false, source)
                : b.add(prefix + "_b", new Op.Conv(3, 1, 1, out, out, true, false), y);
        int shortcut = in;
        if (stride != 1 || channels != out) {
          shortcut =
              b.add(prefix + "_down", new Op.Conv(1, stride, 0, channels, out, true, false), in);
        }
        x = b.add(prefix + "_add", new Op.Add(true), y, shortcut);
        channels = out;
      }
    }
    return new ModelSpec(name.toLowerCase(Locale.ROOT), h, w, NEU_CLASSES, b.nodes);
  }

  /**
   * EdgeDI's compact block for a 3x3 conv {@code in -> out}: 1x1 {@code in -> out/8}, 3x3 {@code
   * out/8 -> out/8} (carrying the original stride), channel attention, 1x1 {@code out/8 -> out}.
   * BatchNorm sits before ReLU (not after, as in the paper's figure) so that it folds into the conv
   * at load and costs nothing at run time; the 3x3 also gets BatchNorm + ReLU so the attention sees
   * rectified features as in squeeze-and-excitation.
   *
   * <p>With {@code gateSource} {@link #OWN_INPUT} the attention pools the 3x3's output, as in the
   * paper: a whole-map reduction in the middle of every block. Otherwise it pools that earlier node
   * (the scarp form; decision record {@code docs/decisions/003-scarp.md}).
   */
  static int scar(
      Builder b, String prefix, int x, int in, int out, int stride, boolean relu, int gateSource) {
    int r = Math.max(1, out / 8);
    int y = b.add(prefix + "_reduce", new Op.Conv(1, 1, 0, in, r, false, false), x);
    y = b.add(prefix + "_spatial", new Op.Conv(3, stride, 1, r, r, true, true), y);
    y =
        gateSource == OWN_INPUT
            ? b.add(prefix + "_attention", new Op.ChannelAttention(r), y)
            : b.add(prefix + "_attention", new Op.ChannelAttention(r), y, gateSource);
    return b.add(prefix + "_expand", new Op.Conv(1, 1, 0, r, out, true, relu), y);
  }

  /** {@link #scar}'s gate source for the paper's form: the attention's own input. */
  static final int OWN_INPUT = -1;

  /** Collects nodes in topological order; node 0 is the single-channel input. */
  static final class Builder {
    final List<Node> nodes =
        new ArrayList<>(List.of(new Node(0, "input", new Op.Input(1), List.of())));

    int add(String name, Op op, int... inputs) {
      List<Integer> in = new ArrayList<>();
      for (int i : inputs) {
        in.add(i);
      }
      nodes.add(new Node(nodes.size(), name, op, in));
      return nodes.size() - 1;
    }
  }
}
