package io.edgedi.camera.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DefectClassTest {
  @Test
  void namesPrefixesAndIndicesFollowNeuOrder() {
    List<String> folders =
        List.of(
            "crazing", "inclusion", "patches", "pitted_surface", "rolled-in_scale", "scratches");
    List<String> prefixes = List.of("Cr", "In", "Pa", "PS", "RS", "Sc");
    assertEquals(6, DefectClass.count());
    for (int i = 0; i < 6; i++) {
      DefectClass c = DefectClass.ofIndex(i);
      assertEquals(i, c.index());
      assertEquals(folders.get(i), c.folderName());
      assertEquals(prefixes.get(i), c.filePrefix());
    }
  }

  @Test
  void lookupIsCaseInsensitiveOverFolderPrefixAndEnumName() {
    for (DefectClass c : DefectClass.values()) {
      assertEquals(Optional.of(c), DefectClass.lookup(c.folderName()));
      assertEquals(Optional.of(c), DefectClass.lookup(c.folderName().toUpperCase()));
      assertEquals(Optional.of(c), DefectClass.lookup(c.filePrefix()));
      assertEquals(Optional.of(c), DefectClass.lookup(c.filePrefix().toLowerCase()));
      assertEquals(Optional.of(c), DefectClass.lookup(c.name().toLowerCase()));
      assertEquals(Optional.of(c), DefectClass.lookup(" " + c.folderName() + " "));
    }
    assertEquals(Optional.of(DefectClass.PITTED_SURFACE), DefectClass.lookup("ps"));
    assertEquals(Optional.of(DefectClass.ROLLED_IN_SCALE), DefectClass.lookup("ROLLED-IN_SCALE"));
    assertEquals(Optional.of(DefectClass.ROLLED_IN_SCALE), DefectClass.lookup("rolled_in_scale"));
  }

  @Test
  void lookupAcceptsNeuFileNames() {
    assertEquals(Optional.of(DefectClass.PITTED_SURFACE), DefectClass.lookup("PS_17.bmp"));
    assertEquals(Optional.of(DefectClass.SCRATCHES), DefectClass.lookup("Sc_200.bmp"));
    assertEquals(Optional.of(DefectClass.CRAZING), DefectClass.lookup("cr_1"));
  }

  @Test
  void unknownNamesAreRejected() {
    assertTrue(DefectClass.lookup("rust").isEmpty());
    assertTrue(DefectClass.lookup("").isEmpty());
    assertTrue(DefectClass.lookup(null).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> DefectClass.fromName("rust"));
    assertThrows(IllegalArgumentException.class, () -> DefectClass.ofIndex(6));
    assertThrows(IllegalArgumentException.class, () -> DefectClass.ofIndex(-1));
  }
}
