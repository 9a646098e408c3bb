package io.edgedi.k3s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization without kustomize, for the few features these manifests use: {@code
 * resources} (files and folders), {@code namespace}, {@code images} and {@code patches} given by
 * path (strategic merge: maps merge, lists of named items merge by name). When kubectl is
 * installed, {@link #kubectl} renders the same folder for real and the tests compare both.
 */
final class Kustomize {
  static final ObjectMapper YAML = new YAMLMapper();
  private static final Set<String> CLUSTER_SCOPED =
      Set.of(
          "Namespace",
          "PersistentVolume",
          "StorageClass",
          "ClusterRole",
          "ClusterRoleBinding",
          "Node");

  private Kustomize() {}

  static List<ObjectNode> render(Path dir) throws IOException {
    JsonNode k = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
    for (java.util.Iterator<String> it = k.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!Set.of("apiVersion", "kind", "namespace", "resources", "images", "patches")
          .contains(field)) {
        throw new IllegalArgumentException(
            dir + ": kustomization field '" + field + "' is not supported by this renderer");
      }
    }
    List<ObjectNode> out = new ArrayList<>();
    for (JsonNode r : k.path("resources")) {
      Path p = dir.resolve(r.asText()).normalize();
      out.addAll(Files.isDirectory(p) ? render(p) : readDocs(p));
    }
    for (JsonNode patch : k.path("patches")) {
      if (!patch.has("path") || patch.size() != 1) {
        throw new IllegalArgumentException(
            dir + ": only patches with a path are supported: " + patch);
      }
      for (ObjectNode p : readDocs(dir.resolve(patch.get("path").asText()))) {
        ObjectNode target =
            out.stream()
                .filter(
                    o ->
                        o.path("kind").equals(p.path("kind"))
                            && o.path("metadata")
                                .path("name")
                                .equals(p.path("metadata").path("name")))
                .findFirst()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "patch target not found: "
                                + p.path("kind")
                                + "/"
                                + p.path("metadata").path("name")));
        merge(target, p);
      }
    }
    for (JsonNode image : k.path("images")) {
      for (ObjectNode o : out) {
        JsonNode pod = o.path("spec").path("template").path("spec");
        for (String list : List.of("containers", "initContainers")) {
          for (JsonNode c : pod.path(list)) {
            String ref = c.path("image").asText();
            int colon = ref.lastIndexOf(':');
            String name = colon > ref.lastIndexOf('/') ? ref.substring(0, colon) : ref;
            String tag = colon > ref.lastIndexOf('/') ? ref.substring(colon + 1) : null;
            if (name.equals(image.path("name").asText())) {
              String newName = image.has("newName") ? image.get("newName").asText() : name;
              String newTag = image.has("newTag") ? image.get("newTag").asText() : tag;
              ((ObjectNode) c).put("image", newTag == null ? newName : newName + ":" + newTag);
            }
          }
        }
      }
    }
    if (k.has("namespace")) {
      for (ObjectNode o : out) {
        if (!CLUSTER_SCOPED.contains(o.path("kind").asText())) {
          ((ObjectNode) o.with("metadata")).put("namespace", k.get("namespace").asText());
        }
      }
    }
    return out;
  }

  static List<ObjectNode> readDocs(Path file) throws IOException {
    List<ObjectNode> docs = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(file.toFile())) {
      var it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        JsonNode n = it.next();
        if (n != null && n.isObject() && n.size() > 0) {
          docs.add((ObjectNode) n);
        }
      }
    }
    return docs;
  }

  /** Strategic merge as far as these manifests need it. */
  static void merge(ObjectNode target, JsonNode patch) {
    patch
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode t = target.get(e.getKey());
              JsonNode p = e.getValue();
              if (t instanceof ObjectNode to && p.isObject()) {
                merge(to, p);
              } else if (t instanceof ArrayNode ta && p.isArray() && named(ta) && named(p)) {
                for (JsonNode item : p) {
                  ObjectNode match = null;
                  for (JsonNode ti : ta) {
                    if (ti.path("name").equals(item.path("name"))) {
                      match = (ObjectNode) ti;
                    }
                  }
                  if (match == null) {
                    ta.add(item.deepCopy());
                  } else {
                    merge(match, item);
                  }
                }
              } else {
                target.set(e.getKey(), p.deepCopy());
              }
            });
  }

  private static boolean named(JsonNode list) {
    for (JsonNode item : list) {
      if (!(item.isObject() && item.get("name") instanceof TextNode)) {
        return false;
      }
    }
    return list.size() > 0;
  }

  /** {@code kubectl kustomize dir}, or null when kubectl is not installed. */
  static List<ObjectNode> kubectl(Path dir) throws IOException, InterruptedException {
    Path out = Files.createTempFile("kustomize", ".yaml");
    try {
      Process p;
      try {
        p =
            new ProcessBuilder("kubectl", "kustomize", dir.toString())
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
      } catch (IOException notInstalled) {
        return null;
      }
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + err);
      }
      return readDocs(out);
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
