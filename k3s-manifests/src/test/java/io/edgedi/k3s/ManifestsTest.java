package io.edgedi.k3s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Renders every overlay and checks that what the manifests say matches the code: fields the
 * Kubernetes model knows, the CLI's environment variables, the Jib image names and subcommands, the
 * Secrets that make-secrets.sh creates, ports, probes, the worker's id and cache, non-root.
 */
class ManifestsTest {
  static final Path MODULE = Path.of("").toAbsolutePath();
  static final Path ROOT = MODULE.getParent();
  static final List<String> OVERLAYS = List.of("pi-cluster", "single-node");
  static final String WORKER_LABEL = "edgedi.io/inference-worker";
  static final String HIVEMQ = "hivemq";

  static final Map<String, List<HasMetadata>> rendered = new HashMap<>();
  static final Map<String, List<ObjectNode>> trees = new HashMap<>();
  static Map<String, JibImage> jibImages;
  static Map<String, Set<String>> secrets;
  static Map<String, String> mqttUsers;

  /** Role -> the clients= pattern make-secrets.sh gives accounts of that role. */
  static Map<String, String> clientsOfRole;

  record JibImage(String name, String subcommand, List<String> jvmFlags) {}

  @BeforeAll
  static void renderAll() throws Exception {
    for (String overlay : OVERLAYS) {
      List<ObjectNode> docs = Kustomize.render(MODULE.resolve("overlays").resolve(overlay));
      trees.put(overlay, docs);
      // For .ci/kube-play, which runs the single-node overlay where kubectl is not installed.
      Path out = MODULE.resolve("target").resolve("rendered").resolve(overlay + ".yaml");
      Files.createDirectories(out.getParent());
      StringBuilder yaml = new StringBuilder();
      for (ObjectNode doc : docs) {
        yaml.append("---\n")
            .append(Kustomize.YAML.writeValueAsString(doc).replaceFirst("^---\n", ""));
      }
      Files.writeString(out, yaml);
      List<HasMetadata> objects = new ArrayList<>();
      for (ObjectNode doc : docs) {
        Object parsed = Serialization.unmarshal(Kustomize.YAML.writeValueAsString(doc));
        if (!(parsed instanceof HasMetadata h) || parsed instanceof GenericKubernetesResource) {
          fail(
              overlay
                  + ": "
                  + doc.path("apiVersion")
                  + " "
                  + doc.path("kind")
                  + " is not a known Kubernetes kind");
          return;
        }
        objects.add(h);
      }
      rendered.put(overlay, objects);
    }
    jibImages = jibImages();
    secrets = secretsFromScript();
    mqttUsers = usersFromScript();
    clientsOfRole = clientsFromScript();
  }

  // ------------------------------------------------------------------------------------------
  // Rendering and the Kubernetes model.

  @ParameterizedTest
  @ValueSource(strings = {"pi-cluster", "single-node"})
  void overlayRendersTheSameWithKubectl(String overlay) throws Exception {
    List<ObjectNode> real = Kustomize.kubectl(MODULE.resolve("overlays").resolve(overlay));
    if (real == null) {
      System.err.println("kubectl not installed: own rendering only for " + overlay);
      return;
    }
    Comparator<ObjectNode> byId =
        Comparator.comparing(
            o -> o.path("kind").asText() + "/" + o.path("metadata").path("name").asText());
    List<ObjectNode> mine = new ArrayList<>(trees.get(overlay));
    mine.sort(byId);
    real.sort(byId);
    assertEquals(real.size(), mine.size(), overlay + ": number of objects");
    for (int i = 0; i < real.size(); i++) {
      Object a = Serialization.unmarshal(Kustomize.YAML.writeValueAsString(real.get(i)));
      Object b = Serialization.unmarshal(Kustomize.YAML.writeValueAsString(mine.get(i)));
      assertEquals(
          a,
          b,
          overlay
              + ": kubectl kustomize and the test's rendering differ for "
              + real.get(i).path("kind")
              + "/"
              + real.get(i).path("metadata").path("name"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pi-cluster", "single-node"})
  void noFieldIsUnknownToTheKubernetesModel(String overlay) {
    List<String> unknown = new ArrayList<>();
    for (HasMetadata o : rendered.get(overlay)) {
      walk(o, o.getKind() + "/" + o.getMetadata().getName(), unknown, new IdentityHashMap<>());
    }
    assertTrue(
        unknown.isEmpty(), overlay + ": fields the Kubernetes model does not know: " + unknown);
  }

  @ParameterizedTest
  @ValueSource(strings = {"pi-cluster", "single-node"})
  void everyObjectIsInTheNamespaceAndExpectedKindsExist(String overlay) {
    for (HasMetadata o : rendered.get(overlay)) {
      if (!o.getKind().equals("Namespace")) {
        assertEquals(
            "edgedi",
            o.getMetadata().getNamespace(),
            o.getKind() + "/" + o.getMetadata().getName());
      }
    }
    one(overlay, StatefulSet.class, "edgedi-broker");
    one(overlay, StatefulSet.class, PLANNER);
    one(overlay, Deployment.class, "edgedi-camera");
    one(overlay, DaemonSet.class, "edgedi-worker");
    one(overlay, ConfigMap.class, "edgedi-hivemq-config");
  }

  // ------------------------------------------------------------------------------------------
  // The manifests against the code.

  @ParameterizedTest
  @ValueSource(strings = {"pi-cluster", "single-node"})
  void imagesAreTheJibImagesRunningTheirSubcommand(String overlay) throws Exception {
    String hivemqVersion =
        xpathText(ROOT.resolve("broker-config/pom.xml"), "properties", "hivemq.version");
    for (Map.Entry<String, Container> e : containers(overlay).entrySet()) {
      Container c = e.getValue();
      String image = c.getImage();
      if (c.getName().equals(HIVEMQ)) {
        assertEquals(
            "hivemq/hivemq-ce:" + hivemqVersion,
            image,
            e.getKey() + ": the HiveMQ CE version of broker-config");
        continue;
      }
      JibImage jib = jibOf(image);
      assertNotNull(
          jib,
          e.getKey() + ": image " + image + " is none of the Jib images " + jibImages.keySet());
      assertTrue(
          image.contains("/") && image.matches(".*:[A-Za-z0-9._-]+$"),
          e.getKey() + ": image " + image + " needs a registry and a tag (set by the overlay)");
      if (c.getCommand() == null || c.getCommand().isEmpty()) {
        assertFalse(c.getArgs().isEmpty(), e.getKey() + ": args start with the subcommand");
        assertEquals(
            jib.subcommand(), c.getArgs().get(0), e.getKey() + ": subcommand of " + jib.name());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pi-cluster", "single-node"})
  void everyEdgediEnvVarIsReadByTheCodeThatRuns(String overlay) throws Exception {
    for (Map.Entry<String, Container> e : containers(overlay).entrySet()) {
      Container c = e.getValue();
      Set<String> known;
      if (c.getName().equals(HIVEMQ)) {
        known = envNamesIn(ROOT.resolve("broker-config/src/main/java/io/edgedi/broker"));
      } else if (c.getCommand() == null || c.getCommand().isEmpty()) {
        known = envNamesOfSubcommand(c.getArgs().get(0));
      } else {
        known = Set.of();
      }
      for (EnvVar v : env(c)) {
        if (v.getName().startsWith("EDGEDI_")) {
          assertTrue(
              known.contains(v.getName()),
              e.getKey() + ": " + v.getName() + " is not read by that code " + known);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pi-cluster", "single-node"})
  void secretsAndKeysAreTheOnesMakeSecretsCreates(String overlay) {
    int refs = 0;
    for (PodSpec pod : pods(overlay).values()) {
      for (Volume v : nonNull(pod.getVolumes())) {
        SecretVolumeSource s = v.getSecret();
        if (s != null) {
          assertTrue(
              secrets.containsKey(s.getSecretName()),
              "secret " + s.getSecretName() + " not in make-secrets.sh");
          assertFalse(
              nonNull(s.getItems()).isEmpty(), "secret volume " + v.getName() + " names its keys");
          s.getItems()
              .forEach(
                  i ->
                      assertTrue(
                          secrets.get(s.getSecretName()).contains(i.getKey()),
                          "key "
                              + i.getKey()
                              + " of secret "
                              + s.getSecretName()
                              + " not in make-secrets.sh"));
          refs++;
        }
      }
      for (Container c : allContainers(pod)) {
        for (EnvVar v : env(c)) {
          if (v.getValueFrom() != null && v.getValueFrom().getSecretKeyRef() != null) {
            var ref = v.getValueFrom().getSecretKeyRef();
            assertTrue(
                secrets.getOrDefault(ref.getName(), Set.of()).contains(ref.getKey()),
                "secretKeyRef " + ref);
            refs++;
          }
        }
        assertTrue(
            nonNull(c.getEnvFrom()).isEmpty(),
            c.getName() + ": no envFrom (every variable is checked by name)");
      }
    }
    assertTrue(refs >= 4, "broker users and three passwords are read from Secrets");
  }

  @ParameterizedTest
  @ValueSource(strings = {"pi-cluster", "single-node"})
  void clientsLogInAsTheirRoleWithTheirPasswordFile(String overlay) {
    Map<String, String> roleOf =
        Map.of("planner", "planner", "worker", "worker", "camera", "camera");
    for (Map.Entry<String, Container> e : containers(overlay).entrySet()) {
      Container c = e.getValue();
      if (c.getName().equals(HIVEMQ) || (c.getCommand() != null && !c.getCommand().isEmpty())) {
        continue;
      }
      PodSpec pod = pods(overlay).get(e.getKey().substring(0, e.getKey().indexOf(':')));
      String sub = c.getArgs().get(0);
      String user = value(c, "EDGEDI_USER");
      assertEquals(
          roleOf.get(sub),
          mqttUsers.get(user),
          e.getKey() + ": MQTT user " + user + " must have role " + roleOf.get(sub));
      String file = value(c, "EDGEDI_PASSWORD_FILE");
      assertNotNull(file, e.getKey() + ": EDGEDI_PASSWORD_FILE (no password in the manifest)");
      assertEquals(
          user,
          secretKeyAt(pod, c, file, "edgedi-mqtt-passwords"),
          e.getKey() + ": password file key");
      assertTrue(value(c, "EDGEDI_BROKER").startsWith("tcp://"), "EDGEDI_BROKER is a tcp:// URL");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pi-cluster", "single-node"})
  void clientsReachTheBrokerServiceOnHiveMqsListenerPort(String overlay) throws Exception {
    int listener =
        Integer.parseInt(
            xpathText(
                ROOT.resolve("broker-config/src/main/resources/hivemq/config.xml"),
                "listeners",
                "tcp-listener",
                "port"));
    StatefulSet broker = one(overlay, StatefulSet.class, "edgedi-broker");
    Container hivemq = container(broker.getSpec().getTemplate().getSpec(), HIVEMQ);
    assertEquals(
        listener,
        port(hivemq, new IntOrString("mqtt")),
        "HiveMQ's container port is config.xml's listener");
    Set<String> urls = new TreeSet<>();
    for (Container c : containers(overlay).values()) {
      String url = value(c, "EDGEDI_BROKER");
      if (url != null) {
        urls.add(url);
        Matcher m =
            Pattern.compile(
                    "tcp://([a-z0-9-]+)(?:\\.edgedi(?:\\.svc(?:\\.cluster\\.local)?)?)?:(\\d+)")
                .matcher(url);
        assertTrue(m.matches(), "EDGEDI_BROKER " + url);
        Service svc = one(overlay, Service.class, m.group(1));
        assertEquals(
            broker.getSpec().getTemplate().getMetadata().getLabels().get("app.kubernetes.io/name"),
            svc.getSpec().getSelector().get("app.kubernetes.io/name"),
            "service " + m.group(1) + " selects the broker");
        ServicePort sp =
            svc.getSpec().getPorts().stream()
                .filter(p -> p.getPort() == Integer.parseInt(m.group(2)))
                .findFirst()
                .orElseThrow(
                    () ->
                        new AssertionError("service " + m.group(1) + " has no port " + m.group(2)));
        assertEquals(
            listener, port(hivemq, sp.getTargetPort()), "service targets the MQTT listener");
      }
    }
    assertEquals(1, urls.size(), "one broker URL for all: " + urls);
    for (Service s : all(overlay, Service.class)) {
      if (s.getMetadata().getName().startsWith("edgedi-broker")) {
        s.getSpec()
            .getPorts()
            .forEach(
                p ->
                    assertEquals(
                        listener, port(hivemq, p.getTargetPort()), s.getMetadata().getName()));
      }
    }
    Set<String> sites = new TreeSet<>();
    containers(overlay)
        .values()
        .forEach(
            c -> {
              if (value(c, "EDGEDI_SITE") != null) {
                sites.add(value(c, "EDGEDI_SITE"));
              }
            });
    assertEquals(1, sites.size(), "every component on the same site: " + sites);
    Set<String> models = new TreeSet<>();
    containers(overlay)
        .values()
        .forEach(
            c -> {
              // Neither set means the trained model shipped in the image.
              if (c.getName().equals("planner") || c.getName().equals("worker")) {
                models.add(value(c, "EDGEDI_MODEL") + " " + value(c, "EDGEDI_WEIGHTS"));
              }
            });
    assertEquals(1, models.size(), "planner and workers run the same model and weights: " + models);
  }

  @ParameterizedTest
  @ValueSource(strings = {"pi-cluster", "single-node"})
  void brokerIsHiveMqWithConfigFromBrokerConfigAndTheExtension(String overlay) throws IOException {
    StatefulSet broker = one(overlay, StatefulSet.class, "edgedi-broker");
    PodSpec pod = broker.getSpec().getTemplate().getSpec();
    Container hivemq = container(pod, HIVEMQ);
    assertEquals(
        "false",
        value(hivemq, "HIVEMQ_ALLOW_ALL_CLIENTS"),
        "the image's allow-all extension must go");
    assertEquals(
        "users.txt",
        secretKeyAt(pod, hivemq, value(hivemq, "EDGEDI_USERS_FILE"), "edgedi-broker-users"));

    String expected =
        Files.readString(ROOT.resolve("broker-config/src/main/resources/hivemq/config.xml"));
    ConfigMap cm = one(overlay, ConfigMap.class, "edgedi-hivemq-config");
    assertEquals(
        expected.strip(),
        cm.getData().get("config.xml").strip(),
        "base/broker-config.yaml must hold broker-config's config.xml unchanged");
    VolumeMount conf = mountAt(hivemq, "/opt/hivemq/conf/config.xml");
    assertEquals("config.xml", conf.getSubPath());
    assertEquals("edgedi-hivemq-config", volume(pod, conf.getName()).getConfigMap().getName());

    VolumeMount ext = mountAt(hivemq, "/opt/hivemq/extensions/edgedi-access-control");
    Container init = container(pod, "access-control-extension", pod.getInitContainers());
    assertEquals(
        "broker",
        jibOf(init.getImage()).subcommand(),
        "the extension comes from the edgedi-broker image");
    String copy = String.join(" ", init.getCommand());
    VolumeMount initExt =
        init.getVolumeMounts().stream()
            .filter(m -> m.getName().equals(ext.getName()))
            .findFirst()
            .orElseThrow();
    assertTrue(
        copy.contains("/opt/edgedi/hivemq-extension/edgedi-access-control/")
            && copy.contains(initExt.getMountPath()),
        "init container copies the extension folder into the shared volume: " + copy);
    assertNotNull(mountAt(hivemq, "/opt/hivemq/data"));
    assertTrue(
        broker.getSpec().getVolumeClaimTemplates().stream()
            .anyMatch(v -> v.getMetadata().getName().equals("data")),
        "file persistence on a persistent volume");
    // The broker image carries exactly that folder (cli/pom.xml unpacks the extension zip there).
    String pom = Files.readString(ROOT.resolve("cli/pom.xml"));
    assertTrue(
        pom.contains("/broker/opt/edgedi/hivemq-extension</outputDirectory>"),
        "cli/pom.xml unpacks the extension");
    assertTrue(
        Files.readString(ROOT.resolve("broker-config/src/assembly/hivemq-extension.xml"))
            .contains("<outputDirectory>edgedi-access-control</outputDirectory>"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"pi-cluster", "single-node"})
  void workersRunOnLabelledNodesOfAnyArchitectureNamedAfterTheNode(String overlay) {
    DaemonSet ds = one(overlay, DaemonSet.class, "edgedi-worker");
    PodSpec pod = ds.getSpec().getTemplate().getSpec();
    assertEquals(
        Map.of(WORKER_LABEL, "true"),
        pod.getNodeSelector(),
        "only nodes labelled as inference workers, any arch");
    assertEquals(
        null, pod.getAffinity(), "no affinity narrowing the nodes (e.g. to one architecture)");
    Container worker = container(pod, "worker");
    EnvVar id =
        env(worker).stream()
            .filter(v -> v.getName().equals("EDGEDI_WORKER_ID"))
            .findFirst()
            .orElseThrow();
    assertNotNull(id.getValueFrom(), "worker id from the downward API");
    assertEquals("spec.nodeName", id.getValueFrom().getFieldRef().getFieldPath());
    assertEquals("worker", mqttUsers.get(value(worker, "EDGEDI_USER")));
  }

  /**
   * The broker binds worker and planner accounts to client ids (broker-config README, "Client
   * ids"): a worker account to its own name unless make-secrets.sh gives it a clients= pattern, a
   * planner account to its name and name-*. A worker whose id is the node name therefore needs
   * either its own account named after the node or a shared one with clients=*; anything else is
   * refused with CONNACK 0x85 on every node but one.
   */
  @ParameterizedTest
  @ValueSource(strings = {"pi-cluster", "single-node"})
  void workersAndPlannerLogInWithClientIdsTheirAccountMayUse(String overlay) throws IOException {
    Container worker =
        container(
            one(overlay, DaemonSet.class, "edgedi-worker").getSpec().getTemplate().getSpec(),
            "worker");
    EnvVar user =
        env(worker).stream()
            .filter(v -> v.getName().equals("EDGEDI_USER"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("worker: EDGEDI_USER"));
    boolean perNode =
        user.getValueFrom() != null
            && user.getValueFrom().getFieldRef() != null
            && "spec.nodeName".equals(user.getValueFrom().getFieldRef().getFieldPath());
    if (!perNode) {
      assertEquals("worker", mqttUsers.get(user.getValue()), "worker: a worker account");
      assertEquals(
          "*",
          clientsOfRole.get("worker"),
          "one worker account for every node (client id = node name) needs clients=* in make-secrets.sh");
    }

    Container planner =
        container(
            one(overlay, StatefulSet.class, PLANNER).getSpec().getTemplate().getSpec(), "planner");
    String plannerUser = value(planner, "EDGEDI_USER");
    EnvVar idVar =
        env(planner).stream()
            .filter(v -> v.getName().equals("EDGEDI_PLANNER_ID"))
            .findFirst()
            .orElse(null);
    String plannerId = idVar == null ? null : idVar.getValue();
    if (idVar != null && idVar.getValueFrom() != null) {
      assertEquals(
          "metadata.name",
          idVar.getValueFrom().getFieldRef().getFieldPath(),
          "planner id from the pod name");
      plannerId = PLANNER + "-0"; // a StatefulSet's pods are <name>-<ordinal>
    } else if (plannerId == null) {
      Matcher m =
          Pattern.compile("EDGEDI_PLANNER_ID:-([A-Za-z0-9._-]+)")
              .matcher(
                  Files.readString(
                      ROOT.resolve("cli/src/main/java/io/edgedi/cli/PlannerCommand.java")));
      assertTrue(m.find(), "PlannerCommand's default planner id");
      plannerId = m.group(1);
    }
    assertEquals("planner", mqttUsers.get(plannerUser));
    assertTrue(
        plannerId.equals(plannerUser) || plannerId.startsWith(plannerUser + "-"),
        "planner id "
            + plannerId
            + " (and "
            + plannerId
            + "-frames) must be user "
            + plannerUser
            + " or "
            + plannerUser
            + "-*");
    assertEquals(
        null, clientsOfRole.get("planner"), "the planner account stays bound to its own ids");
  }

  /**
   * Failover (docs/decisions/004-planner-failover.md): two planners, on different nodes where there
   * are several, each with its spool and journal (EDGEDI_STATE_DIR) on a volume of its own that
   * outlives the pod: a frame the broker forgot was acknowledged from there.
   */
  @ParameterizedTest
  @ValueSource(strings = {"pi-cluster", "single-node"})
  void twoPlannersOnDifferentNodesKeepTheirStateOnTheirOwnPersistentVolumes(String overlay) {
    StatefulSet planners = one(overlay, StatefulSet.class, PLANNER);
    assertTrue(planners.getSpec().getReplicas() >= 2, "at least two planners");
    PodSpec pod = planners.getSpec().getTemplate().getSpec();
    Map<String, String> labels = planners.getSpec().getTemplate().getMetadata().getLabels();
    var anti = pod.getAffinity().getPodAntiAffinity();
    List<io.fabric8.kubernetes.api.model.PodAffinityTerm> terms =
        new ArrayList<>(nonNull(anti.getRequiredDuringSchedulingIgnoredDuringExecution()));
    if (overlay.equals("single-node")) {
      nonNull(anti.getPreferredDuringSchedulingIgnoredDuringExecution())
          .forEach(w -> terms.add(w.getPodAffinityTerm()));
    } else {
      assertTrue(
          nonNull(anti.getPreferredDuringSchedulingIgnoredDuringExecution()).isEmpty(),
          "required, not only preferred, anti-affinity: two planners on one node die together");
    }
    assertTrue(
        terms.stream()
            .anyMatch(
                t ->
                    t.getTopologyKey().equals("kubernetes.io/hostname")
                        && labels
                            .entrySet()
                            .containsAll(t.getLabelSelector().getMatchLabels().entrySet())),
        overlay + ": planner pods repel each other per node");

    Container planner = container(pod, "planner");
    String stateDir = value(planner, "EDGEDI_STATE_DIR");
    assertNotNull(stateDir, "the planner's state directory is set");
    VolumeMount state =
        nonNull(planner.getVolumeMounts()).stream()
            .filter(
                m ->
                    stateDir.equals(m.getMountPath())
                        || stateDir.startsWith(m.getMountPath() + "/"))
            .max(Comparator.comparingInt(m -> m.getMountPath().length()))
            .orElseThrow(() -> new AssertionError("nothing mounted at " + stateDir));
    assertTrue(
        nonNull(pod.getVolumes()).stream().noneMatch(v -> v.getName().equals(state.getName())),
        "the state volume is no pod volume (emptyDir dies with the pod): " + state.getName());
    assertTrue(
        nonNull(planners.getSpec().getVolumeClaimTemplates()).stream()
            .anyMatch(c -> c.getMetadata().getName().equals(state.getName())),
        "each planner claims its own volume");
  }

  @ParameterizedTest
  @ValueSource(strings = {"pi-cluster", "single-node"})
  void javacppCacheIsOnDiskWhereTheWorkerImageLooks(String overlay) {
    PodSpec pod = one(overlay, DaemonSet.class, "edgedi-worker").getSpec().getTemplate().getSpec();
    String flag =
        jibImages.get("edgedi-worker").jvmFlags().stream()
            .filter(f -> f.startsWith("-Dorg.bytedeco.javacpp.cachedir="))
            .findFirst()
            .orElseThrow(() -> new AssertionError("worker image sets the javacpp cache dir"));
    String dir = flag.substring(flag.indexOf('=') + 1);
    VolumeMount m = mountAt(container(pod, "worker"), dir);
    assertFalse(Boolean.TRUE.equals(m.getReadOnly()));
    Volume v = volume(pod, m.getName());
    if (v.getEmptyDir() != null) {
      assertFalse(
          "Memory".equalsIgnoreCase(v.getEmptyDir().getMedium()),
          "javacpp cache must not be tmpfs");
    } else {
      assertNotNull(v.getHostPath(), "javacpp cache: emptyDir on disk or hostPath, not " + v);
    }
    for (PodSpec p : pods(overlay).values()) {
      for (Volume vol : nonNull(p.getVolumes())) {
        assertTrue(
            vol.getEmptyDir() == null || !"Memory".equalsIgnoreCase(vol.getEmptyDir().getMedium()),
            "no memory-backed volumes on a Pi: " + vol.getName());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pi-cluster", "single-node"})
  void everythingRunsNonRootWithoutPrivilegesAndReadOnlyWherePossible(String overlay) {
    for (Map.Entry<String, PodSpec> e : pods(overlay).entrySet()) {
      PodSecurityContext psc = e.getValue().getSecurityContext();
      assertNotNull(psc, e.getKey());
      assertEquals(Boolean.TRUE, psc.getRunAsNonRoot(), e.getKey() + ": runAsNonRoot");
      assertTrue(
          psc.getRunAsUser() != null && psc.getRunAsUser() > 0,
          e.getKey() + ": numeric non-root uid");
      assertEquals("RuntimeDefault", psc.getSeccompProfile().getType(), e.getKey());
      assertEquals(
          Boolean.FALSE,
          e.getValue().getAutomountServiceAccountToken(),
          e.getKey() + ": no API token");
      for (Container c : allContainers(e.getValue())) {
        SecurityContext sc = c.getSecurityContext();
        String where = e.getKey() + ":" + c.getName();
        assertNotNull(sc, where);
        assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), where);
        assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), where);
        assertTrue(nonNull(sc.getCapabilities().getAdd()).isEmpty(), where);
        assertTrue(sc.getRunAsUser() == null || sc.getRunAsUser() > 0, where);
        assertTrue(sc.getPrivileged() == null || !sc.getPrivileged(), where);
        // The official HiveMQ start script needs a writable home folder: the one exception.
        assertEquals(
            !c.getName().equals(HIVEMQ),
            sc.getReadOnlyRootFilesystem(),
            where + ": readOnlyRootFilesystem");
        if (Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem()) && c.getCommand() == null) {
          assertNotNull(mountAt(c, "/tmp"), where + ": a writable /tmp on a read-only root");
        }
      }
      for (Volume v : nonNull(e.getValue().getVolumes())) {
        assertEquals(
            null,
            v.getHostPath(),
            e.getKey() + ": hostPath is not allowed by the restricted pod security level");
      }
    }
    Map<String, String> nsLabels =
        one(overlay, io.fabric8.kubernetes.api.model.Namespace.class, "edgedi")
            .getMetadata()
            .getLabels();
    assertEquals("restricted", nsLabels.get("pod-security.kubernetes.io/enforce"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"pi-cluster", "single-node"})
  void probesHitHealthOnTheHttpPortOrTheMqttPort(String overlay) {
    for (Map.Entry<String, Container> e : containers(overlay).entrySet()) {
      Container c = e.getValue();
      List<Probe> probes = new ArrayList<>();
      probes.add(c.getStartupProbe());
      probes.add(c.getReadinessProbe());
      probes.add(c.getLivenessProbe());
      if (e.getKey().contains(":init:")) {
        continue;
      }
      for (Probe p : probes) {
        assertNotNull(p, e.getKey() + ": startup, readiness and liveness probes");
        String http = value(c, "EDGEDI_HTTP_PORT");
        if (http != null) {
          assertNotNull(p.getHttpGet(), e.getKey() + ": HTTP probe");
          assertEquals("/health", p.getHttpGet().getPath(), e.getKey());
          assertEquals(
              Integer.parseInt(http),
              port(c, p.getHttpGet().getPort()),
              e.getKey() + ": probe port = EDGEDI_HTTP_PORT");
        } else {
          assertEquals(
              HIVEMQ,
              c.getName(),
              e.getKey() + ": every EdgeDI service serves /health (EDGEDI_HTTP_PORT)");
          assertNotNull(p.getTcpSocket(), e.getKey() + ": the broker is probed on its MQTT port");
          assertEquals(1883, port(c, p.getTcpSocket().getPort()));
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pi-cluster", "single-node"})
  void resourcesAreSetAndFitAPi(String overlay) {
    for (Map.Entry<String, Container> e : containers(overlay).entrySet()) {
      var r = e.getValue().getResources();
      assertNotNull(r, e.getKey());
      for (String kind : List.of("cpu", "memory")) {
        assertNotNull(r.getRequests().get(kind), e.getKey() + ": request " + kind);
        assertNotNull(r.getLimits().get(kind), e.getKey() + ": limit " + kind);
        assertTrue(
            Quantity.getAmountInBytes(r.getRequests().get(kind))
                    .compareTo(Quantity.getAmountInBytes(r.getLimits().get(kind)))
                <= 0,
            e.getKey() + ": request <= limit for " + kind);
      }
      assertTrue(
          Quantity.getAmountInBytes(r.getLimits().get("cpu")).intValue() <= 4,
          e.getKey() + ": a Pi has 4 cores");
    }
    long mi = 1024 * 1024;
    Container worker =
        container(
            one(overlay, DaemonSet.class, "edgedi-worker").getSpec().getTemplate().getSpec(),
            "worker");
    long workerLimit =
        Quantity.getAmountInBytes(worker.getResources().getLimits().get("memory")).longValue();
    if (overlay.equals("pi-cluster")) {
      assertTrue(
          workerLimit <= 640 * mi,
          "a worker must fit a Pi 3B+ (1 GB): limit " + workerLimit / mi + " Mi");
      long core = 0;
      for (Map.Entry<String, Container> e : containers(overlay).entrySet()) {
        if (!e.getKey().startsWith("DaemonSet")
            && !e.getKey().contains(":init:")
            && !e.getKey().contains("camera")) {
          core +=
              Quantity.getAmountInBytes(e.getValue().getResources().getLimits().get("memory"))
                  .longValue();
        }
      }
      assertTrue(
          core + workerLimit <= 3 * 1024 * mi,
          "broker + planner + a worker fit the Pi 4 core node: " + core / mi);
    }
  }

  @Test
  void makeSecretsCreatesTheUsersTheManifestsNeed() {
    assertEquals(Set.of("users.txt"), secrets.get("edgedi-broker-users"));
    assertEquals(Set.of("planner", "worker", "camera"), secrets.get("edgedi-mqtt-passwords"));
    assertEquals("mes", mqttUsers.get("mes"), "a read-only MES login exists");
  }

  // ------------------------------------------------------------------------------------------
  // Helpers.

  private static void walk(
      Object o, String path, List<String> unknown, IdentityHashMap<Object, Boolean> seen) {
    if (o == null || seen.put(o, true) != null) {
      return;
    }
    if (o instanceof Map<?, ?> m) {
      m.forEach((k, v) -> walk(v, path + "." + k, unknown, seen));
      return;
    }
    if (o instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        walk(l.get(i), path + "[" + i + "]", unknown, seen);
      }
      return;
    }
    if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0
          || Modifier.isStatic(m.getModifiers())
          || !m.getName().startsWith("get")
          || m.getDeclaringClass() == Object.class) {
        continue;
      }
      Object v;
      try {
        v = m.invoke(o);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      if (m.getName().equals("getAdditionalProperties")) {
        if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
          unknown.add(path + " " + extra.keySet());
        }
      } else {
        walk(v, path + "." + m.getName().substring(3), unknown, seen);
      }
    }
  }

  static <T extends HasMetadata> List<T> all(String overlay, Class<T> type) {
    return rendered.get(overlay).stream().filter(type::isInstance).map(type::cast).toList();
  }

  static <T extends HasMetadata> T one(String overlay, Class<T> type, String name) {
    List<T> found =
        all(overlay, type).stream().filter(o -> o.getMetadata().getName().equals(name)).toList();
    assertEquals(1, found.size(), overlay + ": " + type.getSimpleName() + "/" + name);
    return found.get(0);
  }

  /** Pod templates by "Kind/name". */
  static Map<String, PodSpec> pods(String overlay) {
    Map<String, PodSpec> pods = new LinkedHashMap<>();
    all(overlay, Deployment.class)
        .forEach(
            d ->
                pods.put(
                    "Deployment/" + d.getMetadata().getName(),
                    d.getSpec().getTemplate().getSpec()));
    all(overlay, StatefulSet.class)
        .forEach(
            d ->
                pods.put(
                    "StatefulSet/" + d.getMetadata().getName(),
                    d.getSpec().getTemplate().getSpec()));
    all(overlay, DaemonSet.class)
        .forEach(
            d ->
                pods.put(
                    "DaemonSet/" + d.getMetadata().getName(), d.getSpec().getTemplate().getSpec()));
    return pods;
  }

  /**
   * Every container (init containers too) by "Kind/name:container" or "Kind/name:init:container".
   */
  static Map<String, Container> containers(String overlay) {
    Map<String, Container> all = new LinkedHashMap<>();
    pods(overlay)
        .forEach(
            (k, pod) -> {
              pod.getContainers().forEach(c -> all.put(k + ":" + c.getName(), c));
              nonNull(pod.getInitContainers()).forEach(c -> all.put(k + ":init:" + c.getName(), c));
            });
    return all;
  }

  static List<Container> allContainers(PodSpec pod) {
    return Stream.concat(pod.getContainers().stream(), nonNull(pod.getInitContainers()).stream())
        .toList();
  }

  static Container container(PodSpec pod, String name) {
    return container(pod, name, pod.getContainers());
  }

  static Container container(PodSpec pod, String name, List<Container> list) {
    return nonNull(list).stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container " + name));
  }

  /**
   * The planners' StatefulSet: its pods planner-0, planner-1 log in as user planner (planner-*).
   */
  static final String PLANNER = "planner";

  static List<EnvVar> env(Container c) {
    return nonNull(c.getEnv());
  }

  static String value(Container c, String name) {
    return env(c).stream()
        .filter(v -> v.getName().equals(name))
        .map(EnvVar::getValue)
        .findFirst()
        .orElse(null);
  }

  static int port(Container c, IntOrString p) {
    if (p.getIntVal() != null) {
      return p.getIntVal();
    }
    return nonNull(c.getPorts()).stream()
        .filter(cp -> p.getStrVal().equals(cp.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElseThrow(() -> new AssertionError(c.getName() + " has no port named " + p.getStrVal()));
  }

  static VolumeMount mountAt(Container c, String path) {
    return nonNull(c.getVolumeMounts()).stream()
        .filter(m -> m.getMountPath().equals(path))
        .findFirst()
        .orElseThrow(() -> new AssertionError(c.getName() + " mounts nothing at " + path));
  }

  static Volume volume(PodSpec pod, String name) {
    return pod.getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  /** The key of Secret {@code secret} that a container sees at {@code file}. */
  static String secretKeyAt(PodSpec pod, Container c, String file, String secret) {
    assertNotNull(file, c.getName() + ": a file path");
    for (VolumeMount m : nonNull(c.getVolumeMounts())) {
      if (file.startsWith(m.getMountPath() + "/")) {
        SecretVolumeSource s = volume(pod, m.getName()).getSecret();
        assertNotNull(s, file + " is not on a Secret volume");
        assertEquals(secret, s.getSecretName(), file);
        String rel = file.substring(m.getMountPath().length() + 1);
        return s.getItems().stream()
            .filter(i -> i.getPath().equals(rel))
            .map(i -> i.getKey())
            .findFirst()
            .orElseThrow(() -> new AssertionError(file + ": no item with path " + rel));
      }
    }
    throw new AssertionError(c.getName() + ": nothing mounted holds " + file);
  }

  static <T> List<T> nonNull(List<T> l) {
    return l == null ? List.of() : l;
  }

  static JibImage jibOf(String image) {
    String repo =
        image.contains(":") && image.lastIndexOf(':') > image.lastIndexOf('/')
            ? image.substring(0, image.lastIndexOf(':'))
            : image;
    String last = repo.substring(repo.lastIndexOf('/') + 1);
    return jibImages.get(last);
  }

  /** The Jib executions of the images profile in cli/pom.xml. */
  static Map<String, JibImage> jibImages() throws Exception {
    Document doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(ROOT.resolve("cli/pom.xml").toFile());
    Map<String, JibImage> images = new LinkedHashMap<>();
    NodeList profiles = doc.getElementsByTagName("profile");
    for (int i = 0; i < profiles.getLength(); i++) {
      Element profile = (Element) profiles.item(i);
      if (!"images".equals(childText(profile, "id"))) {
        continue;
      }
      NodeList plugins = profile.getElementsByTagName("plugin");
      for (int p = 0; p < plugins.getLength(); p++) {
        Element plugin = (Element) plugins.item(p);
        if (!"jib-maven-plugin".equals(childText(plugin, "artifactId"))) {
          continue;
        }
        List<String> commonFlags =
            texts(child(child(child(plugin, "configuration"), "container"), "jvmFlags"));
        NodeList execs = plugin.getElementsByTagName("execution");
        for (int e = 0; e < execs.getLength(); e++) {
          Element conf = child((Element) execs.item(e), "configuration");
          String to = childText(child(conf, "to"), "image");
          Matcher m = Pattern.compile(".*/(edgedi-[a-z-]+):.*").matcher(to);
          assertTrue(m.matches(), "jib to.image " + to);
          Element container = child(conf, "container");
          List<String> args = texts(child(container, "args"));
          List<String> flags =
              child(container, "jvmFlags") != null
                  ? texts(child(container, "jvmFlags"))
                  : commonFlags;
          images.put(m.group(1), new JibImage(m.group(1), args.get(0), flags));
        }
      }
    }
    assertEquals(
        Set.of("edgedi-broker", "edgedi-planner", "edgedi-worker", "edgedi-camera"),
        images.keySet());
    return images;
  }

  static Element child(Element parent, String name) {
    if (parent == null) {
      return null;
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  static String childText(Element parent, String name) {
    Element c = child(parent, name);
    return c == null ? null : c.getTextContent().trim();
  }

  static List<String> texts(Element parent) {
    List<String> out = new ArrayList<>();
    if (parent != null) {
      for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e) {
          out.add(e.getTextContent().trim());
        }
      }
    }
    return out;
  }

  static String xpathText(Path xml, String... path) throws Exception {
    Element e =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(xml.toFile())
            .getDocumentElement();
    for (String p : path) {
      e = child(e, p);
      assertNotNull(e, xml + ": " + String.join("/", path));
    }
    return e.getTextContent().trim();
  }

  static final Pattern ENV = Pattern.compile("EDGEDI_[A-Z0-9_]+");

  static Set<String> envNamesIn(Path dir) throws IOException {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = ENV.matcher(Files.readString(f));
        while (m.find()) {
          names.add(m.group());
        }
      }
    }
    return names;
  }

  /** EDGEDI_* variables read by a CLI subcommand: its class and the mixins it declares. */
  static Set<String> envNamesOfSubcommand(String sub) throws IOException {
    Path cli = ROOT.resolve("cli/src/main/java/io/edgedi/cli");
    Path command = null;
    try (Stream<Path> files = Files.list(cli)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        if (Files.readString(f)
            .matches("(?s).*@Command\\(\\s*name\\s*=\\s*\"" + Pattern.quote(sub) + "\".*")) {
          command = f;
        }
      }
    }
    assertNotNull(command, "no CLI command " + sub);
    String src = Files.readString(command);
    Set<String> names = new HashSet<>();
    Matcher m = ENV.matcher(src);
    while (m.find()) {
      names.add(m.group());
    }
    Matcher mixin = Pattern.compile("@Mixin\\s+(\\w+)").matcher(src);
    while (mixin.find()) {
      Matcher mm = ENV.matcher(Files.readString(cli.resolve(mixin.group(1) + ".java")));
      while (mm.find()) {
        names.add(mm.group());
      }
    }
    return names;
  }

  /** Secret name -> keys, from the kubectl create secret lines of make-secrets.sh. */
  static Map<String, Set<String>> secretsFromScript() throws IOException {
    String script = Files.readString(MODULE.resolve("make-secrets.sh")).replace("\\\n", " ");
    Map<String, Set<String>> out = new HashMap<>();
    Matcher m = Pattern.compile("create secret generic (\\S+)([^\\n]*)").matcher(script);
    while (m.find()) {
      Set<String> keys = new TreeSet<>();
      Matcher k = Pattern.compile("--from-file=([A-Za-z0-9._-]+)=").matcher(m.group(2));
      while (k.find()) {
        keys.add(k.group(1));
      }
      out.put(m.group(1), keys);
    }
    return out;
  }

  /**
   * Role -> clients= pattern, from the {@code [ "$role" = R ] && clients='GLOB'} lines of
   * make-secrets.sh.
   */
  static Map<String, String> clientsFromScript() throws IOException {
    String script = Files.readString(MODULE.resolve("make-secrets.sh"));
    assertTrue(
        script.contains("${clients:+--clients \"$clients\"}"),
        "make-secrets.sh passes $clients to edgedi users");
    Map<String, String> out = new HashMap<>();
    Matcher m =
        Pattern.compile("\\[ \"\\$role\" = ([a-z]+) \\] && clients='([^']*)'").matcher(script);
    while (m.find()) {
      out.put(m.group(1), m.group(2));
    }
    return out;
  }

  /** MQTT user -> role, from make-secrets.sh. */
  static Map<String, String> usersFromScript() throws IOException {
    String script = Files.readString(MODULE.resolve("make-secrets.sh"));
    Matcher m = Pattern.compile("for entry in ([a-z: ]+); do").matcher(script);
    assertTrue(m.find(), "make-secrets.sh lists user:role entries");
    Map<String, String> users = new HashMap<>();
    for (String e : m.group(1).trim().split("\\s+")) {
      users.put(e.split(":")[0], e.split(":")[1]);
    }
    return users;
  }
}
