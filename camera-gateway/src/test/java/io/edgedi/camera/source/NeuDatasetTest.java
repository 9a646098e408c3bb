package io.edgedi.camera.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.camera.synthetic.DefectClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NeuDatasetTest {
  @Test
  void classFromFileNames() {
    assertEquals(Optional.of(DefectClass.CRAZING), NeuDataset.classOfFileName("Cr_12.bmp"));
    assertEquals(Optional.of(DefectClass.CRAZING), NeuDataset.classOfFileName("crazing_12.bmp"));
    assertEquals(
        Optional.of(DefectClass.ROLLED_IN_SCALE),
        NeuDataset.classOfFileName("rolled-in_scale_7.png"));
    assertEquals(
        Optional.of(DefectClass.ROLLED_IN_SCALE), NeuDataset.classOfFileName("RS_300.BMP"));
    assertEquals(
        Optional.of(DefectClass.PITTED_SURFACE),
        NeuDataset.classOfFileName("pitted_surface_3.jpg"));
    assertEquals(
        Optional.of(DefectClass.PITTED_SURFACE),
        NeuDataset.classOfFileName("pitted_surface (3).jpg"));
    assertEquals(Optional.of(DefectClass.PITTED_SURFACE), NeuDataset.classOfFileName("PS_1.bmp"));
    assertEquals(
        Optional.of(DefectClass.SCRATCHES), NeuDataset.classOfFileName("Sc_1_flipped.bmp"));
    assertEquals(
        Optional.of(DefectClass.ROLLED_IN_SCALE),
        NeuDataset.classOfFileName("rolled-in_scale_12_flipped.png"));
    assertEquals(Optional.of(DefectClass.INCLUSION), NeuDataset.classOfFileName("inclusion-4.png"));
    assertEquals(Optional.empty(), NeuDataset.classOfFileName("img_0001.png"));
    assertEquals(Optional.empty(), NeuDataset.classOfFileName("12.bmp"));
    assertEquals(Optional.empty(), NeuDataset.classOfFileName("patchesx_1.bmp"));
  }

  @Test
  void parentFolderWinsOverFileName() {
    assertEquals(
        Optional.of(DefectClass.PATCHES),
        NeuDataset.classOf(Path.of("train", "patches", "Sc_1.bmp")));
    assertEquals(
        Optional.of(DefectClass.SCRATCHES), NeuDataset.classOf(Path.of("train", "Sc_1.bmp")));
    assertEquals(Optional.empty(), NeuDataset.classOf(Path.of("train", "x.bmp")));
  }

  @Test
  void listsImagesRecursivelySortedAndLabelled(@TempDir Path dir) throws IOException {
    TestImages.writeGray(
        dir.resolve("b/crazing/crazing_2.png"), TestImages.synthetic(DefectClass.CRAZING, 1, 8, 8));
    TestImages.writeGray(
        dir.resolve("a/In_1.bmp"), TestImages.synthetic(DefectClass.INCLUSION, 1, 8, 8));
    TestImages.writeGray(
        dir.resolve("a/unknown.png"), TestImages.synthetic(DefectClass.INCLUSION, 2, 8, 8));
    Files.writeString(dir.resolve("a/readme.txt"), "not an image");
    Files.createDirectories(dir.resolve(".hidden"));
    TestImages.writeGray(
        dir.resolve(".hidden/Cr_1.png"), TestImages.synthetic(DefectClass.CRAZING, 1, 8, 8));
    TestImages.writeGray(
        dir.resolve("a/.Cr_9.png"), TestImages.synthetic(DefectClass.CRAZING, 1, 8, 8));

    List<NeuDataset.LabelledFile> files = NeuDataset.list(dir);
    assertEquals(
        List.of("a/In_1.bmp", "a/unknown.png", "b/crazing/crazing_2.png"),
        files.stream().map(NeuDataset.LabelledFile::relative).toList());
    assertEquals("inclusion", files.get(0).label());
    assertNull(files.get(1).label());
    assertEquals(DefectClass.CRAZING, files.get(2).defectClass());
    assertEquals(2, NeuDataset.byClass(files).size());
  }

  @Test
  void imageExtensions() {
    assertTrue(NeuDataset.isImageFile(Path.of("a.BMP")));
    assertTrue(NeuDataset.isImageFile(Path.of("a.jpeg")));
    assertFalse(NeuDataset.isImageFile(Path.of("a.bmp.part")));
    assertFalse(NeuDataset.isImageFile(Path.of(".a.png")));
    assertFalse(NeuDataset.isImageFile(Path.of("png")));
  }

  @Test
  void missingFolderIsAnError(@TempDir Path dir) {
    assertThrows(IOException.class, () -> NeuDataset.list(dir.resolve("nope")));
  }
}
