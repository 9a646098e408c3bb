package io.edgedi.broker.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClientIdGlobTest {

  @ParameterizedTest
  @CsvSource({
    "pi-*, pi-7, true",
    "pi-*, pi-, true",
    "pi-*, pi, false",
    "pi-*, worker-3, false",
    "pi-*, xpi-7, false",
    "pi-*, PI-7, false",
    "*, anything.at_all-1, true",
    "*, a, true",
    "worker-1, worker-1, true",
    "worker-1, worker-10, false",
    "worker-1, worker-, false",
    "*-frames, planner-frames, true",
    "*-frames, planner-frames-2, false",
    "a*b*c, abc, true",
    "a*b*c, axxbyyc, true",
    "a*b*c, axxbyycb, false",
    "a*b*c, acb, false",
    "*a*a*a*b, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab, true",
    "*a*a*a*b, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, false",
    "line1-cam-*-pi, line1-cam-7-pi, true",
    "line1-cam-*-pi, line1-cam-7-pix, false",
  })
  void matchesWhatTheStarAdmitsAndNothingElse(String glob, String clientId, boolean expected) {
    assertEquals(expected, new ClientIdGlob(glob).matches(clientId), glob + " vs " + clientId);
  }

  @Test
  void nullClientIdNeverMatches() {
    assertFalse(new ClientIdGlob("*").matches(null));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "pi-?",
        "pi-+",
        "#",
        "pi/7",
        "pi 7",
        "pi:7",
        "[ab]*",
        "pi-*,x",
        "pi-\u00e9",
        "a\nb"
      })
  void patternsWithOtherCharactersAreRejected(String glob) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new ClientIdGlob(glob));
    assertTrue(e.getMessage().contains("bad client id pattern"), e.getMessage());
  }

  @Test
  void tooLongPatternIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new ClientIdGlob("a".repeat(129)));
    new ClientIdGlob("a".repeat(128));
  }

  @Test
  void fieldIsClientsEqualsGlob() {
    for (String glob : List.of("*", "pi-*")) {
      assertEquals("clients=" + glob, new ClientIdGlob(glob).toField());
    }
  }
}
