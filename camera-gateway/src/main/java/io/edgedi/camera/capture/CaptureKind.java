package io.edgedi.camera.capture;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Every way a line camera degrades a frame that the model must survive, with the level a camera on
 * a steel line realistically reaches ({@link #realistic}), the harshest level used in training
 * ({@link #trainMax}), and the level at which the effect vanishes ({@link #identity}). Where the
 * realistic levels come from is in {@code training/README.md} ("Capture conditions").
 */
public enum CaptureKind {
  NOISE("noise", "read-noise sigma, 8-bit levels", 0, 5, 8) {
    @Override
    Raster apply(Raster in, double level, SplittableRandom rnd) {
      return SensorNoise.gaussian(in, level, rnd);
    }
  },
  SHOT("shot", "shot-noise sigma at mid-gray, 8-bit levels", 0, 6, 9) {
    @Override
    Raster apply(Raster in, double level, SplittableRandom rnd) {
      return SensorNoise.shot(in, level, rnd);
    }
  },
  STRIPES("stripes", "column gain sigma (fraction)", 0, 0.02, 0.04) {
    @Override
    Raster apply(Raster in, double level, SplittableRandom rnd) {
      return SensorNoise.columnGain(in, level, rnd);
    }
  },
  DEFOCUS("defocus", "blur-circle radius, px", 0, 1.5, 2.5) {
    @Override
    Raster apply(Raster in, double level, SplittableRandom rnd) {
      return Blur.defocus(in, level);
    }
  },
  MOTION("motion", "motion-blur length, px", 0, 4, 6) {
    @Override
    Raster apply(Raster in, double level, SplittableRandom rnd) {
      return Blur.motion(in, level, rnd.nextDouble() * Math.PI);
    }
  },
  JPEG("jpeg", "JPEG quality 1..100 (lower is worse)", 95, 30, 15) {
    @Override
    Raster apply(Raster in, double level, SplittableRandom rnd) {
      return Compression.jpeg(in, level);
    }
  },
  H264("h264", "H.264 quantiser 0..51", 20, 32, 38) {
    @Override
    Raster apply(Raster in, double level, SplittableRandom rnd) {
      return Compression.h264(in, level);
    }
  },
  EXPOSURE("exposure", "exposure error, stops (+ brighter, - darker)", 0, 0.5, 0.8) {
    @Override
    Raster apply(Raster in, double level, SplittableRandom rnd) {
      return Lighting.exposure(in, level);
    }

    @Override
    public double trainLevel(SplittableRandom rnd) {
      return (rnd.nextBoolean() ? 1 : -1) * super.trainLevel(rnd);
    }
  },
  CONTRAST("contrast", "contrast lost, fraction", 0, 0.3, 0.5) {
    @Override
    Raster apply(Raster in, double level, SplittableRandom rnd) {
      return Lighting.contrast(in, level);
    }
  },
  GRADIENT("gradient", "illumination span across the frame, fraction", 0, 0.3, 0.5) {
    @Override
    Raster apply(Raster in, double level, SplittableRandom rnd) {
      return Lighting.gradient(in, level, rnd.nextDouble() * 2 * Math.PI);
    }
  },
  VIGNETTE("vignette", "light lost in the corners, fraction", 0, 0.3, 0.5) {
    @Override
    Raster apply(Raster in, double level, SplittableRandom rnd) {
      return Lighting.vignette(in, level);
    }
  },
  SHIFT("shift", "displacement, px", 0, 10, 20) {
    @Override
    Raster apply(Raster in, double level, SplittableRandom rnd) {
      return Geometry.shift(in, level, rnd.nextDouble() * 2 * Math.PI);
    }
  },
  ROTATE("rotate", "rotation, degrees", 0, 5, 10) {
    @Override
    Raster apply(Raster in, double level, SplittableRandom rnd) {
      return Geometry.rotate(in, (rnd.nextBoolean() ? 1 : -1) * level);
    }
  },
  DUST("dust", "dark specks per frame", 0, 10, 20) {
    @Override
    Raster apply(Raster in, double level, SplittableRandom rnd) {
      return Dust.specks(in, level, rnd);
    }
  };

  private final String id;
  private final String unit;
  private final double identity;
  private final double realistic;
  private final double trainMax;

  CaptureKind(String id, String unit, double identity, double realistic, double trainMax) {
    this.id = id;
    this.unit = unit;
    this.identity = identity;
    this.realistic = realistic;
    this.trainMax = trainMax;
  }

  abstract Raster apply(Raster in, double level, SplittableRandom rnd);

  /**
   * A level drawn uniformly between no effect and {@link #trainMax} (either sign where it has one).
   */
  public double trainLevel(SplittableRandom rnd) {
    return identity + rnd.nextDouble() * (trainMax - identity);
  }

  public String id() {
    return id;
  }

  public String unit() {
    return unit;
  }

  public double realistic() {
    return realistic;
  }

  public double trainMax() {
    return trainMax;
  }

  public double identity() {
    return identity;
  }

  public static CaptureKind byId(String id) {
    String key = id.trim().toLowerCase(Locale.ROOT);
    for (CaptureKind k : values()) {
      if (k.id.equals(key)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown capture effect '"
            + id
            + "'; known: "
            + Arrays.stream(values()).map(CaptureKind::id).collect(Collectors.joining(", ")));
  }
}
