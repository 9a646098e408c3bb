package io.edgedi.camera.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.camera.synthetic.DefectClass;
import io.edgedi.camera.synthetic.GrayImage;
import io.edgedi.schemas.codec.RejectReason;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class DropFolderSourceTest {
  private static DropFolderSource fast(Path dir) throws Exception {
    return new DropFolderSource(
        dir, ImageLoader.neu(SizePolicy.RESIZE), Duration.ofMillis(150), Duration.ofMillis(200));
  }

  private static CompletableFuture<Optional<SourceItem>> nextAsync(FrameSource src) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return src.next();
          } catch (InterruptedException e) {
            throw new RuntimeException(e);
          }
        });
  }

  @Test
  void picksUpAFileWrittenAfterStartAndMovesItToDone(@TempDir Path dir) throws Exception {
    GrayImage img = TestImages.synthetic(DefectClass.SCRATCHES, 4, 200, 200);
    try (DropFolderSource src = fast(dir)) {
      assertTrue(Files.isDirectory(dir.resolve("done")));
      assertTrue(Files.isDirectory(dir.resolve("failed")));
      CompletableFuture<Optional<SourceItem>> next = nextAsync(src);
      Thread.sleep(300);
      assertFalse(next.isDone());
      TestImages.writeGray(dir.resolve("Sc_7.png"), img);
      SourceImage got = (SourceImage) next.get(10, TimeUnit.SECONDS).orElseThrow();
      assertEquals("Sc_7.png", got.origin());
      assertEquals("scratches", got.label());
      assertEquals(img, got.image());
      // Not moved before the consumer says it is done with it.
      assertTrue(Files.exists(dir.resolve("Sc_7.png")));
      assertEquals(1, src.inFlight());
      src.done(got, true);
      assertFalse(Files.exists(dir.resolve("Sc_7.png")));
      assertTrue(Files.exists(dir.resolve("done/Sc_7.png")));
      assertEquals(0, src.inFlight());
    }
  }

  @Test
  void waitsUntilAFileStopsGrowing(@TempDir Path dir) throws Exception {
    byte[] png =
        Files.readAllBytes(
            TestImages.writeGray(
                dir.resolve("src/x.png"), TestImages.synthetic(DefectClass.PATCHES, 1, 200, 200)));
    try (DropFolderSource src = fast(dir)) {
      CompletableFuture<Optional<SourceItem>> next = nextAsync(src);
      try (OutputStream out = Files.newOutputStream(dir.resolve("slow.png"))) {
        int chunk = png.length / 8 + 1;
        for (int off = 0; off < png.length; off += chunk) {
          out.write(png, off, Math.min(chunk, png.length - off));
          out.flush();
          Thread.sleep(60); // well under the 150 ms settle time
        }
      }
      SourceItem item = next.get(10, TimeUnit.SECONDS).orElseThrow();
      assertInstanceOf(SourceImage.class, item, () -> "got " + item);
    }
  }

  @Test
  void existingFilesFirstUnreadableToFailedAndUnfinishedOnesComeBackAfterRestart(@TempDir Path dir)
      throws Exception {
    TestImages.writeGray(
        dir.resolve("a.png"), TestImages.synthetic(DefectClass.CRAZING, 1, 200, 200));
    Files.write(dir.resolve("broken.png"), new byte[] {1, 2, 3});
    Files.setLastModifiedTime(
        dir.resolve("broken.png"),
        java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    Files.writeString(dir.resolve("notes.txt"), "ignored");
    try (DropFolderSource src = fast(dir)) {
      SourceImage a = (SourceImage) src.next().orElseThrow();
      assertEquals("a.png", a.origin());
      SourceError broken = assertInstanceOf(SourceError.class, src.next().orElseThrow());
      assertEquals(RejectReason.UNREADABLE, broken.reason());
      assertTrue(Files.exists(dir.resolve("failed/broken.png")));
      // a.png never reported done: the process "crashes" here.
    }
    assertTrue(Files.exists(dir.resolve("a.png")));
    try (DropFolderSource src = fast(dir)) {
      SourceImage again = (SourceImage) src.next().orElseThrow();
      assertEquals("a.png", again.origin());
      src.done(again, false);
      assertTrue(Files.exists(dir.resolve("failed/a.png")));
    }
    assertTrue(Files.exists(dir.resolve("notes.txt")));
  }

  @Test
  void sameNameTwiceKeepsBothInDone(@TempDir Path dir) throws Exception {
    try (DropFolderSource src = fast(dir)) {
      for (int i = 0; i < 2; i++) {
        TestImages.writeGray(
            dir.resolve("Cr_1.png"), TestImages.synthetic(DefectClass.CRAZING, i, 200, 200));
        SourceImage img = (SourceImage) src.next().orElseThrow();
        src.done(img, true);
      }
    }
    assertTrue(Files.exists(dir.resolve("done/Cr_1.png")));
    assertTrue(Files.exists(dir.resolve("done/Cr_1-1.png")));
  }

  @Test
  void closeWakesABlockedNext(@TempDir Path dir) throws Exception {
    DropFolderSource src = new DropFolderSource(dir);
    CompletableFuture<Optional<SourceItem>> next = nextAsync(src);
    Thread.sleep(200);
    src.close();
    assertTrue(next.get(5, TimeUnit.SECONDS).isEmpty());
  }
}
