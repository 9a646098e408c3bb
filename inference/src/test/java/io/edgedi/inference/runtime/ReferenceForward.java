package io.edgedi.inference.runtime;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.Node;
import io.edgedi.inference.model.Op;
import io.edgedi.inference.model.TensorShape;
import io.edgedi.inference.weights.FoldedWeights;
import java.util.HashMap;
import java.util.Map;

/**
 * A deliberately naive whole-map forward pass in plain Java loops: an independent oracle for the TF
 * graphs (layouts, padding, BatchNorm folding, attention, residual joins).
 */
final class ReferenceForward {
  private ReferenceForward() {}

  static float[] trunk(FoldedWeights w, float[] image) {
    ModelSpec m = w.model();
    Map<Integer, float[]> values = new HashMap<>();
    values.put(0, image);
    for (int id = 1; id < m.size(); id++) {
      Node n = m.node(id);
      TensorShape in = m.shape(n.inputs().get(0));
      TensorShape out = m.shape(id);
      float[] x = values.get(n.inputs().get(0));
      float[] y = new float[(int) out.elements()];
      if (n.op() instanceof Op.Conv c) {
        float[] k = w.kernel(id);
        float[] b = w.bias(id);
        for (int oy = 0; oy < out.height(); oy++) {
          for (int ox = 0; ox < out.width(); ox++) {
            for (int o = 0; o < c.outChannels(); o++) {
              double s = b[o];
              for (int ky = 0; ky < c.kernel(); ky++) {
                int iy = oy * c.stride() - c.pad() + ky;
                if (iy < 0 || iy >= in.height()) {
                  continue;
                }
                for (int kx = 0; kx < c.kernel(); kx++) {
                  int ix = ox * c.stride() - c.pad() + kx;
                  if (ix < 0 || ix >= in.width()) {
                    continue;
                  }
                  for (int i = 0; i < c.inChannels(); i++) {
                    s +=
                        x[(iy * in.width() + ix) * in.channels() + i]
                            * k[
                                ((ky * c.kernel() + kx) * c.inChannels() + i) * c.outChannels()
                                    + o];
                  }
                }
              }
              y[(oy * out.width() + ox) * out.channels() + o] =
                  (float) (c.relu() ? Math.max(0, s) : s);
            }
          }
        }
      } else if (n.op() instanceof Op.MaxPool p) {
        for (int oy = 0; oy < out.height(); oy++) {
          for (int ox = 0; ox < out.width(); ox++) {
            for (int ch = 0; ch < out.channels(); ch++) {
              float best = Float.NEGATIVE_INFINITY;
              for (int ky = 0; ky < p.kernel(); ky++) {
                for (int kx = 0; kx < p.kernel(); kx++) {
                  int iy = oy * p.stride() - p.pad() + ky;
                  int ix = ox * p.stride() - p.pad() + kx;
                  if (iy >= 0 && iy < in.height() && ix >= 0 && ix < in.width()) {
                    best = Math.max(best, x[(iy * in.width() + ix) * in.channels() + ch]);
                  }
                }
              }
              y[(oy * out.width() + ox) * out.channels() + ch] = best;
            }
          }
        }
      } else if (n.op() instanceof Op.ChannelAttention a) {
        int c = a.channels();
        int source = m.gateSource(id);
        TensorShape ss = m.shape(source);
        float[] sv = values.get(source);
        double[] mean = new double[ss.channels()];
        for (int i = 0; i < sv.length; i++) {
          mean[i % ss.channels()] += sv[i];
        }
        float[] k = w.kernel(id);
        float[] b = w.bias(id);
        double[] gate = new double[c];
        for (int j = 0; j < c; j++) {
          double z = b[j];
          for (int i = 0; i < ss.channels(); i++) {
            z += mean[i] / (ss.height() * ss.width()) * k[i * c + j];
          }
          gate[j] = 1 / (1 + Math.exp(-z));
        }
        for (int i = 0; i < x.length; i++) {
          y[i] = (float) (x[i] * gate[i % c]);
        }
      } else if (n.op() instanceof Op.Add add) {
        float[] x2 = values.get(n.inputs().get(1));
        for (int i = 0; i < y.length; i++) {
          float s = x[i] + x2[i];
          y[i] = add.relu() ? Math.max(0, s) : s;
        }
      }
      values.put(id, y);
    }
    return values.get(m.lastNode());
  }
}
