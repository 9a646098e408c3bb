package io.edgedi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgedi.inference.weights.WeightFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train -> eval on tiny synthetic inputs; the JSON files carry the documented fields. */
class TrainEvalPruneCommandTest {
  @TempDir Path dir;

  @Test
  void trainThenEvalWritesJson() throws Exception {
    Path out = dir.resolve("m.edw");
    assertEquals(
        0,
        Main.run(
            "train",
            "--model",
            "resnet18-scar",
            "--no-data",
            "--synthetic",
            "12",
            "--image-size",
            "32",
            "--epochs",
            "1",
            "--batch",
            "6",
            "--out",
            out.toString()));
    assertTrue(Files.isRegularFile(out));
    assertTrue(Files.isRegularFile(dir.resolve("m.edw.ckpt.edw")));
    assertEquals(
        0,
        Main.run(
            "train",
            "--model",
            "resnet18-scar",
            "--no-data",
            "--synthetic",
            "12",
            "--image-size",
            "32",
            "--epochs",
            "2",
            "--batch",
            "6",
            "--out",
            out.toString(),
            "--resume"));
    assertEquals("2", WeightFile.read(out).weights().metadata().get("epoch"));
    Path json = dir.resolve("eval.json");
    assertEquals(
        0,
        Main.run(
            "eval",
            "--weights",
            out.toString(),
            "--model",
            "resnet18-scar",
            "--no-data",
            "--synthetic",
            "6",
            "--json",
            json.toString()));
    JsonNode r = Json.MAPPER.readTree(json.toFile());
    for (String f :
        new String[] {
          "accuracy", "perClassAccuracy", "confusionMatrix", "params", "macs", "inferMillis"
        }) {
      assertTrue(r.has(f), "eval JSON lacks " + f + ": " + r);
    }
    assertEquals(6, r.get("confusionMatrix").size());
  }

  @Test
  void missingDataDirIsAClearError() {
    assertNotEquals(
        0,
        Main.run(
            "train",
            "--model",
            "vgg16-scar",
            "--epochs",
            "1",
            "--out",
            dir.resolve("x.edw").toString(),
            "--data",
            dir.resolve("nope").toString()));
    assertNotEquals(
        0,
        Main.run(
            "train",
            "--model",
            "vgg16-scar",
            "--epochs",
            "1",
            "--out",
            dir.resolve("x.edw").toString()));
  }
}
