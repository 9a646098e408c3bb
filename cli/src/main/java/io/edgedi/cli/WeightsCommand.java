package io.edgedi.cli;

import io.edgedi.inference.model.ModelCost;
import io.edgedi.inference.weights.WeightFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Shows a weight file's model, version and size, and rewrites it in another precision. */
@Command(
    name = "weights",
    mixinStandardHelpOptions = true,
    description = "Inspect a weight file, or rewrite it (e.g. as float16 for shipping).")
final class WeightsCommand implements Callable<Integer> {
  @Option(names = "--in", required = true, description = "Weight file to read.")
  Path in;

  @Option(names = "--out", description = "Write the weights here.")
  Path out;

  @Option(names = "--float16", description = "Write float16 data (half the size).")
  boolean float16;

  @Override
  public Integer call() throws Exception {
    WeightFile.Loaded loaded = WeightFile.read(in);
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("file", in.toString());
    info.put("bytes", Files.size(in));
    info.put("model", loaded.weights().model().name());
    info.put("version", loaded.version());
    info.put("params", ModelCost.params(loaded.weights().model()));
    info.put("macs", ModelCost.macs(loaded.weights().model()));
    info.put("metadata", loaded.weights().metadata());
    if (out != null) {
      String version =
          WeightFile.write(
              out,
              loaded.weights(),
              float16 ? WeightFile.Precision.FLOAT16 : WeightFile.Precision.FLOAT32);
      info.put(
          "written",
          Map.of(
              "file",
              out.toString(),
              "bytes",
              Files.size(out),
              "version",
              version,
              "dtype",
              float16 ? "float16" : "float32"));
    }
    System.out.println(Json.MAPPER.writeValueAsString(info));
    return 0;
  }
}
