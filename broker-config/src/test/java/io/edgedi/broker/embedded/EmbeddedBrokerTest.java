package io.edgedi.broker.embedded;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgedi.broker.users.UsersFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What EmbeddedBroker refuses before HiveMQ is ever started (so these tests are fast). */
class EmbeddedBrokerTest {

  @TempDir Path folder;

  @Test
  void refusesToStartWithoutUsers() {
    assumeTrue(System.getenv(UsersFile.PATH_VARIABLE) == null, UsersFile.PATH_VARIABLE + " is set");
    IllegalStateException error =
        assertThrows(IllegalStateException.class, () -> EmbeddedBroker.builder().start());
    assertTrue(error.getMessage().contains(UsersFile.PATH_VARIABLE), error.getMessage());
  }

  @Test
  void refusesToStartWithAMissingUsersFile() {
    Path missing = folder.resolve("missing.txt");
    assertThrows(
        IllegalStateException.class, () -> EmbeddedBroker.builder().usersFile(missing).start());
  }

  @Test
  void refusesToStartWithAMalformedUsersFile() throws Exception {
    Path file =
        Files.writeString(folder.resolve("users.txt"), "planner-1:planner:clear-text-password\n");
    IllegalStateException error =
        assertThrows(
            IllegalStateException.class, () -> EmbeddedBroker.builder().usersFile(file).start());
    assertTrue(error.getMessage().contains("line 1"), error.getMessage());
  }

  @Test
  void refusesAnImpossiblePort() {
    assertThrows(IllegalArgumentException.class, () -> EmbeddedBroker.builder().port(70_000));
    assertThrows(IllegalArgumentException.class, () -> EmbeddedBroker.builder().port(-1));
  }
}
