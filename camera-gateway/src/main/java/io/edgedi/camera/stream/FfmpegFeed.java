package io.edgedi.camera.stream;

import java.awt.image.BufferedImage;
import java.io.IOException;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * A stream decoded by FFmpeg through JavaCV: {@code rtsp://}, {@code http(s)://} (MJPEG and
 * whatever else FFmpeg probes), a video file, or a V4L2 device ({@code /dev/video*}).
 *
 * <p>Capture time: an RTSP server that sends RTCP sender reports gives FFmpeg the wall-clock time
 * of the stream's start ({@code start_time_realtime}); each frame is that plus its timestamp. Other
 * streams give only timestamps relative to their start, so they are anchored to the wall clock at
 * the first frame of this connection.
 */
public final class FfmpegFeed implements VideoFeed {

  /** Socket read/connect timeout, so a stalled stream fails and is reconnected. */
  private static final String TIMEOUT_MICROS = "5000000";

  private final FFmpegFrameGrabber grabber;
  private final Java2DFrameConverter converter = new Java2DFrameConverter();
  private long anchorMicros = Long.MIN_VALUE;

  private FfmpegFeed(FFmpegFrameGrabber grabber) {
    this.grabber = grabber;
  }

  /** Opens {@code url}; throws if FFmpeg cannot. */
  public static FfmpegFeed open(String url) throws IOException {
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(url);
    if (url.startsWith("/dev/video")) {
      grabber.setFormat("video4linux2");
    }
    if (url.startsWith("rtsp://")) {
      grabber.setOption("rtsp_transport", "tcp");
    }
    if (url.contains("://")) {
      grabber.setOption("timeout", TIMEOUT_MICROS);
      grabber.setOption("rw_timeout", TIMEOUT_MICROS);
    }
    try {
      grabber.start();
    } catch (FrameGrabber.Exception e) {
      closeQuietly(grabber);
      throw new IOException("cannot open " + url + ": " + e.getMessage(), e);
    }
    return new FfmpegFeed(grabber);
  }

  @Override
  public Picture next() throws IOException {
    try {
      while (true) {
        Frame frame = grabber.grabImage();
        if (frame == null) {
          return null;
        }
        BufferedImage image = converter.convert(frame);
        if (image != null) {
          // the converter reuses its buffer: copy before the next grab overwrites it
          return new Picture(copy(image), captureTime(grabber.getTimestamp()));
        }
      }
    } catch (FrameGrabber.Exception e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private long captureTime(long streamMicros) {
    if (anchorMicros == Long.MIN_VALUE) {
      long realtimeStart =
          grabber.getFormatContext() == null ? 0 : grabber.getFormatContext().start_time_realtime();
      anchorMicros =
          realtimeStart > 0
              ? realtimeStart
              : System.currentTimeMillis() * 1000 - Math.max(0, streamMicros);
    }
    return anchorMicros + Math.max(0, streamMicros);
  }

  private static BufferedImage copy(BufferedImage image) {
    BufferedImage out =
        new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    out.getGraphics().drawImage(image, 0, 0, null);
    return out;
  }

  @Override
  public void close() {
    closeQuietly(grabber);
    converter.close();
  }

  private static void closeQuietly(FFmpegFrameGrabber grabber) {
    try {
      grabber.release();
    } catch (Exception ignored) {
      // nothing left to do with a connection that failed to close
    }
  }
}
