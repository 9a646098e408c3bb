package io.edgedi.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EmulationInstanceTest {
  @Test
  void anInstanceGetsNamesAndASubnetOfItsOwn() {
    assertEquals("", EmulationInstance.id(null));
    assertEquals(213, EmulationInstance.subnetOctet(""));
    assertEquals("b", EmulationInstance.id("b"));
    assertEquals(215, EmulationInstance.subnetOctet("b"));
    // Names of another instance must not match this one's clean-up patterns.
    assertEquals(false, ("edemu" + "b" + "1h").matches("edemu" + "\\d+[hn]"));
  }

  @Test
  void onlyOneLowerCaseLetterIsAnInstance() {
    for (String bad : new String[] {"B", "ab", "1", "-", "a/b"}) {
      assertThrows(IllegalArgumentException.class, () -> EmulationInstance.id(bad), bad);
    }
  }
}
