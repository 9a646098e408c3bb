package io.edgedi.training.graph;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam's first and second moments per trainable tensor plus the step count, so that a resumed run
 * continues where it stopped. Stored next to a checkpoint's weight file ({@code FILE.opt}): magic,
 * step, then per tensor its name, length, m values, v values (big-endian float32).
 */
public record OptimizerState(long step, Map<String, float[]> m, Map<String, float[]> v) {
  private static final int MAGIC = 0x45444f31; // "EDO1"

  float[] m(String name, int size) {
    return pick(m, name, size);
  }

  float[] v(String name, int size) {
    return pick(v, name, size);
  }

  private static float[] pick(Map<String, float[]> map, String name, int size) {
    float[] a = map.get(name);
    // A tensor the state does not know (or of another size) starts from zero moments.
    return a != null && a.length == size ? a : new float[size];
  }

  public void write(Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream os = Files.newOutputStream(tmp);
        DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(os))) {
      out.writeInt(MAGIC);
      out.writeLong(step);
      out.writeInt(m.size());
      for (Map.Entry<String, float[]> e : m.entrySet()) {
        out.writeUTF(e.getKey());
        float[] mv = e.getValue();
        float[] vv = v.get(e.getKey());
        out.writeInt(mv.length);
        for (float f : mv) {
          out.writeFloat(f);
        }
        for (float f : vv) {
          out.writeFloat(f);
        }
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public static OptimizerState read(Path file) throws IOException {
    try (InputStream is = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(is))) {
      if (in.readInt() != MAGIC) {
        throw new IOException(file + " is not an optimizer state file");
      }
      long step = in.readLong();
      int count = in.readInt();
      Map<String, float[]> m = new LinkedHashMap<>();
      Map<String, float[]> v = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        String name = in.readUTF();
        int n = in.readInt();
        float[] mv = new float[n];
        float[] vv = new float[n];
        for (int j = 0; j < n; j++) {
          mv[j] = in.readFloat();
        }
        for (int j = 0; j < n; j++) {
          vv[j] = in.readFloat();
        }
        m.put(name, mv);
        v.put(name, vv);
      }
      return new OptimizerState(step, m, v);
    }
  }
}
