package io.edgedi.inference.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class WindowGridTest {
  private final WindowGrid grid = WindowGrid.adjacent(200, 200);

  @Test
  void aStripIsCoveredByAdjacentWindowsPlusOneFlushWithEachFarEdge() {
    List<Window> w = grid.windows(1024, 600);
    assertEquals(18, w.size());
    assertEquals(
        List.of(0, 200, 400, 600, 800, 824), w.subList(0, 6).stream().map(Window::x).toList());
    assertEquals(List.of(0, 200, 400), w.stream().filter(x -> x.x() == 0).map(Window::y).toList());
    for (int i = 0; i < w.size(); i++) {
      assertEquals(i, w.get(i).index(), "row-major indices");
      assertTrue(w.get(i).x() + 200 <= 1024 && w.get(i).y() + 200 <= 600, "inside the frame");
    }
  }

  @Test
  void anExactMultipleNeedsNoExtraWindowAndAStrideOverlaps() {
    assertEquals(2, grid.windows(400, 200).size());
    List<Window> half = new WindowGrid(200, 200, 100, 100).windows(400, 200);
    assertEquals(List.of(0, 100, 200), half.stream().map(Window::x).toList());
  }

  @Test
  void onlyFramesLargerThanOneWindowBothWaysAtLeastAreCut() {
    assertFalse(grid.cuts(200, 200), "the model's own size");
    assertTrue(grid.cuts(201, 200));
    assertTrue(grid.cuts(200, 1000));
    assertFalse(grid.cuts(1024, 199), "too short for any window");
    assertThrows(IllegalArgumentException.class, () -> grid.windows(1024, 100));
    assertThrows(IllegalArgumentException.class, () -> new WindowGrid(200, 200, 0, 200));
  }

  @Test
  void aCropHoldsTheWindowsPixelsOfEveryChannel() {
    int width = 5;
    byte[] frame = new byte[width * 4 * 2];
    for (int i = 0; i < frame.length; i++) {
      frame[i] = (byte) i;
    }
    byte[] crop = new Window(0, 1, 2, 2, 2).crop(frame, width, 2);
    // rows 2 and 3, pixels 1 and 2, two samples each
    assertArrayEquals(new byte[] {22, 23, 24, 25, 32, 33, 34, 35}, crop);
  }
}
