package io.edgedi.broker.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.embedded.EmbeddedHiveMQ;
import io.edgedi.broker.access.Role;
import io.edgedi.broker.embedded.BrokerConfig;
import io.edgedi.broker.users.PasswordHasher;
import io.edgedi.broker.users.UserAccount;
import io.edgedi.broker.users.UsersFile;
import io.edgedi.transport.NoDelaySocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged extension zip, unpacked into an extensions folder and loaded by HiveMQ the way the
 * HiveMQ CE container loads it: own class loader, no-argument constructor, users.txt read from the
 * extension's folder. Runs in the integration-test phase, after the zip is built.
 */
class ExtensionFolderIT {

  @TempDir static Path home;
  private static EmbeddedHiveMQ hiveMQ;
  private static int port;

  @BeforeAll
  static void startHiveMQWithTheExtensionFolder() throws Exception {
    assumeTrue(
        System.getenv(UsersFile.PATH_VARIABLE) == null, UsersFile.PATH_VARIABLE + " would win");
    String zip = System.getProperty("edgedi.extension.zip");
    assertNotNull(zip, "run through maven-failsafe (edgedi.extension.zip not set)");
    Path extensions = home.resolve("extensions");
    unzip(Path.of(zip), extensions);
    Path extensionFolder = extensions.resolve(AccessControlExtension.ID);
    assertTrue(Files.isRegularFile(extensionFolder.resolve("hivemq-extension.xml")));
    UsersFile.write(
        extensionFolder.resolve(AccessControlExtension.USERS_FILE_NAME),
        List.of(
            UserAccount.create(
                "planner-1",
                Role.PLANNER,
                "planner-pw".toCharArray(),
                new PasswordHasher(10_000))));

    port = freePort();
    Files.createDirectories(home.resolve("conf"));
    Files.writeString(
        home.resolve("conf/config.xml"),
        BrokerConfig.defaults(port, "127.0.0.1", BrokerConfig.Persistence.IN_MEMORY).toXml());
    hiveMQ =
        EmbeddedHiveMQ.builder()
            .withConfigurationFolder(home.resolve("conf"))
            .withDataFolder(home.resolve("data"))
            .withExtensionsFolder(extensions)
            .withoutLoggingBootstrap()
            .build();
    hiveMQ.start().get(120, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (hiveMQ != null) {
      hiveMQ.close();
    }
  }

  @Test
  void userFromTheExtensionFoldersUsersFileConnectsAndGetsItsPermissions() throws Exception {
    MqttClient client = connect("planner-1", "planner-1", "planner-pw");
    try {
      int[] granted =
          client
              .subscribe(new MqttSubscription[] {new MqttSubscription("edgedi/v1/+/+/frames/+", 1)})
              .getReasonCodes();
      assertEquals(1, granted[0]);
      int[] refused =
          client
              .subscribe(
                  new MqttSubscription[] {new MqttSubscription("edgedi/v1/+/workers/w1/tasks", 1)})
              .getReasonCodes();
      assertEquals(0x87, refused[0]);
    } finally {
      client.disconnect();
      client.close(true);
    }
  }

  @Test
  void wrongPasswordAndAnonymousAreRefused() {
    assertEquals(
        0x86,
        assertThrows(MqttException.class, () -> connect("p-x", "planner-1", "nope"))
            .getReasonCode());
    assertEquals(
        0x87, assertThrows(MqttException.class, () -> connect("anon", null, null)).getReasonCode());
  }

  private static MqttClient connect(String clientId, String user, String password)
      throws MqttException {
    MqttClient client =
        new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
    client.setTimeToWait(10_000);
    MqttConnectionOptions options = new MqttConnectionOptions();
    if (user != null) {
      options.setUserName(user);
    }
    if (password != null) {
      options.setPassword(password.getBytes(StandardCharsets.UTF_8));
    }
    options.setSocketFactory(NoDelaySocketFactory.instance());
    try {
      client.connect(options);
      return client;
    } catch (MqttException e) {
      client.close(true);
      throw e;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void unzip(Path zip, Path into) throws IOException {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        Path target = into.resolve(entry.getName()).normalize();
        if (!target.startsWith(into)) {
          throw new IOException("zip entry outside the target folder: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(in, target);
        }
      }
    }
  }
}
