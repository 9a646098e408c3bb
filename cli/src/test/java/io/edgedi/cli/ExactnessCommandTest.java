package io.edgedi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExactnessCommandTest {

  @Test
  void writesTheReportAndExitsZeroWhenPartitionedEqualsMonolithic(@TempDir Path dir)
      throws Exception {
    Path json = dir.resolve("exact.json");
    int code =
        Main.run(
            "exactness",
            "--model",
            "vgg13-scar",
            "--workers",
            "3",
            "--plans",
            "2",
            "--seed",
            "5",
            "--image-size",
            "40",
            "--json",
            json.toString());
    assertEquals(0, code);
    JsonNode r = Json.MAPPER.readTree(json.toFile());
    assertEquals("vgg13-scar", r.get("model").asText());
    assertEquals(2, r.get("plans").asInt());
    assertTrue(r.get("maxAbsDiff").asDouble() <= 1e-4);
    assertTrue(r.has("maxRelDiff"));
  }

  @Test
  void unknownModelIsAUsageErrorNotACrash() {
    assertTrue(Main.run("exactness", "--model", "alexnet", "--image-size", "40") != 0);
  }

  @Test
  void helpListsTheSubcommands() {
    assertEquals(0, Main.run("--help"));
  }
}
