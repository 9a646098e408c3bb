// Run by .ci/images inside the camera image of each architecture (java's single-file source
// launcher): loads FFmpeg through JavaCPP as the camera's stream source does and names the native
// library it got, so that an image carrying another architecture's natives fails in CI and not on
// the first stream camera of a Pi.
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.javacpp.Loader;

public class FfmpegNatives {
  public static void main(String[] args) {
    String library = Loader.load(avformat.class);
    int v = avcodec.avcodec_version();
    System.out.println(Loader.getPlatform() + " " + library + " (libavcodec " + (v >> 16) + "." + ((v >> 8) & 0xff) + "." + (v & 0xff) + ")");
  }
}
