package io.edgedi.camera.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.camera.synthetic.DefectClass;
import io.edgedi.camera.synthetic.GrayImage;
import io.edgedi.schemas.codec.RejectReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderSourceTest {
  private static List<SourceItem> drain(FrameSource s, int max) throws InterruptedException {
    List<SourceItem> out = new ArrayList<>();
    for (Optional<SourceItem> i = s.next(); i.isPresent() && out.size() < max; i = s.next()) {
      out.add(i.get());
    }
    return out;
  }

  @Test
  void readsPngAndBmpInSortedOrderWithLabelsFromFolderAndPrefix(@TempDir Path dir)
      throws Exception {
    GrayImage cr = TestImages.synthetic(DefectClass.CRAZING, 1, 200, 200);
    GrayImage ps = TestImages.synthetic(DefectClass.PITTED_SURFACE, 2, 200, 200);
    GrayImage sc = TestImages.synthetic(DefectClass.SCRATCHES, 3, 200, 200);
    GrayImage none = TestImages.synthetic(DefectClass.PATCHES, 4, 200, 200);
    TestImages.writeGray(dir.resolve("crazing/img_1.bmp"), cr);
    TestImages.writeGray(dir.resolve("flat/PS_2.bmp"), ps);
    TestImages.writeGray(dir.resolve("flat/scratches_3.png"), sc);
    TestImages.writeGray(dir.resolve("flat/unlabelled.png"), none);

    try (FolderSource src = new FolderSource(dir, false, SizePolicy.REJECT)) {
      List<SourceItem> items = drain(src, 100);
      assertEquals(4, items.size());
      SourceImage a = (SourceImage) items.get(0);
      assertEquals("crazing/img_1.bmp", a.origin());
      assertEquals("crazing", a.label());
      assertEquals(cr, a.image()); // lossless gray round trip through 8-bit BMP
      SourceImage b = (SourceImage) items.get(1);
      assertEquals("flat/PS_2.bmp", b.origin());
      assertEquals("pitted_surface", b.label());
      assertEquals(ps, b.image());
      SourceImage c = (SourceImage) items.get(2);
      assertEquals("scratches", c.label());
      assertEquals(sc, c.image());
      SourceImage d = (SourceImage) items.get(3);
      assertNull(d.label());
      assertEquals(none, d.image());
      assertTrue(src.next().isEmpty());
    }
  }

  @Test
  void colourIsConvertedToLuma(@TempDir Path dir) throws Exception {
    TestImages.write(
        dir.resolve("Cr_1.png"), TestImages.solidRgb(200, 200, 0xC86432)); // (200, 100, 50)
    TestImages.write(dir.resolve("Cr_2.bmp"), TestImages.solidRgb(200, 200, 0x00FF00));
    TestImages.write(dir.resolve("Cr_3.jpg"), TestImages.solidRgb(200, 200, 0x3080C0));
    try (FolderSource src = new FolderSource(dir, false, SizePolicy.REJECT)) {
      List<SourceItem> items = drain(src, 100);
      GrayImage png = ((SourceImage) items.get(0)).image();
      GrayImage bmp = ((SourceImage) items.get(1)).image();
      GrayImage jpg = ((SourceImage) items.get(2)).image();
      int expectPng = Luma.luma(0xC86432); // 0.299*200 + 0.587*100 + 0.114*50 = 124.2
      assertEquals(124, expectPng);
      assertEquals(expectPng, png.get(17, 33));
      assertEquals(expectPng, png.mean(), 1e-9);
      assertEquals(150, bmp.get(0, 0));
      assertEquals(Luma.luma(0x3080C0), jpg.mean(), 3.0); // lossy, but close
    }
  }

  @Test
  void wrongSizeIsResizedOrRejected(@TempDir Path dir) throws Exception {
    GrayImage big = TestImages.synthetic(DefectClass.INCLUSION, 5, 400, 300);
    TestImages.writeGray(dir.resolve("In_1.png"), big);
    try (FolderSource src = new FolderSource(dir, false, SizePolicy.RESIZE)) {
      SourceImage img = (SourceImage) src.next().orElseThrow();
      assertEquals(200, img.image().width());
      assertEquals(200, img.image().height());
      assertEquals(big.mean(), img.image().mean(), 1.0);
      assertEquals("inclusion", img.label());
    }
    try (FolderSource src = new FolderSource(dir, false, SizePolicy.REJECT)) {
      SourceError err = assertInstanceOf(SourceError.class, src.next().orElseThrow());
      assertEquals(RejectReason.WRONG_SIZE, err.reason());
      assertEquals("In_1.png", err.origin());
      assertTrue(err.message().contains("400x300"), err.message());
      assertTrue(err.bytes() > 0);
      assertTrue(src.next().isEmpty());
    }
  }

  @Test
  void unreadableFilesAreReportedNotSkipped(@TempDir Path dir) throws Exception {
    TestImages.writeGray(
        dir.resolve("a.png"), TestImages.synthetic(DefectClass.PATCHES, 1, 200, 200));
    Files.write(dir.resolve("b.bmp"), new byte[] {1, 2, 3, 4, 5});
    byte[] png =
        Files.readAllBytes(
            TestImages.writeGray(
                dir.resolve("tmp.png"), TestImages.synthetic(DefectClass.PATCHES, 2, 200, 200)));
    Files.delete(dir.resolve("tmp.png"));
    Files.write(dir.resolve("c.png"), java.util.Arrays.copyOf(png, png.length / 3)); // truncated
    try (FolderSource src = new FolderSource(dir, false, SizePolicy.RESIZE)) {
      List<SourceItem> items = drain(src, 100);
      assertEquals(3, items.size());
      assertInstanceOf(SourceImage.class, items.get(0));
      SourceError b = assertInstanceOf(SourceError.class, items.get(1));
      assertEquals("b.bmp", b.origin());
      assertEquals(RejectReason.UNREADABLE, b.reason());
      assertEquals(5, b.bytes());
      SourceError c = assertInstanceOf(SourceError.class, items.get(2));
      assertEquals(RejectReason.UNREADABLE, c.reason());
    }
  }

  @Test
  void loopRestartsAndReportsBadFilesOnlyOnce(@TempDir Path dir) throws Exception {
    TestImages.writeGray(
        dir.resolve("Cr_1.png"), TestImages.synthetic(DefectClass.CRAZING, 1, 200, 200));
    TestImages.writeGray(
        dir.resolve("Pa_2.png"), TestImages.synthetic(DefectClass.PATCHES, 2, 200, 200));
    Files.write(dir.resolve("Sc_3.png"), new byte[] {9, 9, 9});
    try (FolderSource src = new FolderSource(dir, true, SizePolicy.REJECT)) {
      List<SourceItem> items = drain(src, 9);
      List<String> origins = items.stream().map(SourceItem::origin).toList();
      assertEquals(
          List.of(
              "Cr_1.png",
              "Pa_2.png",
              "Sc_3.png",
              "Cr_1.png",
              "Pa_2.png",
              "Cr_1.png",
              "Pa_2.png",
              "Cr_1.png",
              "Pa_2.png"),
          origins);
      assertEquals(1, items.stream().filter(i -> i instanceof SourceError).count());
      assertEquals(((SourceImage) items.get(0)).image(), ((SourceImage) items.get(3)).image());
      assertTrue(src.passes() >= 3);
      src.close();
      assertTrue(src.next().isEmpty());
    }
  }

  @Test
  void loopOverNothingUsableEnds(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve("x.png"), new byte[] {1});
    try (FolderSource src = new FolderSource(dir, true, SizePolicy.RESIZE)) {
      assertInstanceOf(SourceError.class, src.next().orElseThrow());
      assertTrue(src.next().isEmpty());
    }
    Path empty = Files.createDirectory(dir.resolve("empty"));
    try (FolderSource src = new FolderSource(empty, true, SizePolicy.RESIZE)) {
      assertTrue(src.next().isEmpty());
    }
  }

  @Test
  void missingFolderFailsAtOnce(@TempDir Path dir) {
    assertThrows(
        IOException.class,
        () -> new FolderSource(dir.resolve("missing"), false, SizePolicy.RESIZE));
  }
}
