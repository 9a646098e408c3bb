package io.edgedi.broker.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.broker.access.Role;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersFileTest {

  private static final PasswordHasher FAST = new PasswordHasher(1_000);

  @TempDir Path folder;

  @Test
  void writtenUsersLoadBackWithWorkingPasswords() throws IOException {
    Path file = folder.resolve("users.txt");
    UsersFile.write(
        file,
        List.of(
            UserAccount.create("planner-1", Role.PLANNER, "p".toCharArray(), FAST),
            UserAccount.create("pi-07", Role.WORKER, "w".toCharArray(), FAST)));

    UsersFile loaded = UsersFile.load(file);

    assertEquals(2, loaded.size());
    UserAccount worker = loaded.find("pi-07").orElseThrow();
    assertEquals(Role.WORKER, worker.role());
    assertTrue(PasswordHasher.verify("w".toCharArray(), worker.passwordHash()));
    assertFalse(loaded.find("nobody").isPresent());
  }

  @Test
  void fileHoldsOneUserRoleHashLinePerUserAndNoPassword() throws IOException {
    Path file = folder.resolve("users.txt");
    UsersFile.write(
        file, List.of(UserAccount.create("mes-1", Role.MES, "very-secret".toCharArray(), FAST)));
    String text = Files.readString(file);
    assertTrue(
        text.lines().anyMatch(line -> line.startsWith("mes-1:mes:pbkdf2-sha256$1000$")), text);
    assertFalse(text.contains("very-secret"));
  }

  @Test
  void fileIsReadableByItsOwnerOnly() throws IOException {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    Path file = folder.resolve("users.txt");
    UsersFile.write(file, List.of());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void commentsAndBlankLinesAreIgnored() throws IOException {
    String hash = FAST.hash("pw".toCharArray());
    Path file =
        Files.writeString(
            folder.resolve("users.txt"),
            "# operators\n\n   \nadmin-1:admin:" + hash + "\n  # trailing comment\n");
    assertEquals(
        List.of(new UserAccount("admin-1", Role.ADMIN, hash)), UsersFile.load(file).accounts());
  }

  @Test
  void malformedLineIsReportedWithItsNumber() throws IOException {
    Path file = Files.writeString(folder.resolve("users.txt"), "# header\nplanner-1:planner\n");
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> UsersFile.load(file));
    assertTrue(error.getMessage().contains("line 2"), error.getMessage());
  }

  @Test
  void clientsFieldRoundTripsAndIsOptional() throws IOException {
    Path file = folder.resolve("users.txt");
    List<UserAccount> accounts =
        List.of(
            UserAccount.create("pi-07", Role.WORKER, "w".toCharArray(), FAST),
            UserAccount.create("fleet", Role.WORKER, "f".toCharArray(), FAST)
                .withClients(new ClientIdGlob("pi-*")),
            UserAccount.create("planner-1", Role.PLANNER, "p".toCharArray(), FAST)
                .withClients(new ClientIdGlob("*")),
            UserAccount.create("mes-1", Role.MES, "m".toCharArray(), FAST));
    UsersFile.write(file, accounts);
    String text = Files.readString(file);

    UsersFile loaded = UsersFile.load(file);
    assertEquals(accounts, loaded.accounts());
    assertEquals(
        null, loaded.find("pi-07").orElseThrow().clients(), "no field: bound to its own name");
    assertEquals(new ClientIdGlob("pi-*"), loaded.find("fleet").orElseThrow().clients());
    assertTrue(
        text.lines()
            .anyMatch(
                l ->
                    l.startsWith("fleet:worker:pbkdf2-sha256$1000$")
                        && l.endsWith(":clients=pi-*")),
        text);
    assertTrue(
        text.lines()
            .anyMatch(
                l -> l.startsWith("pi-07:worker:") && l.chars().filter(c -> c == ':').count() == 2),
        text);
    assertFalse(text.contains("clients=null"), text);

    // written again from what was read: byte for byte the same file
    Path again = folder.resolve("again.txt");
    loaded.writeTo(again);
    assertEquals(text, Files.readString(again));
  }

  @Test
  void threeFieldLinesOfOldFilesStillLoad() throws IOException {
    String hash = FAST.hash("pw".toCharArray());
    Path file =
        Files.writeString(
            folder.resolve("users.txt"),
            "# EdgeDI broker users: user:role:pbkdf2-hash (roles: camera, planner, worker, mes, admin)\n"
                + "worker:worker:"
                + hash
                + "\nfleet:worker:"
                + hash
                + ":clients=*\n");
    UsersFile users = UsersFile.load(file);
    assertEquals(new UserAccount("worker", Role.WORKER, hash), users.find("worker").orElseThrow());
    assertEquals(new ClientIdGlob("*"), users.find("fleet").orElseThrow().clients());
  }

  @Test
  void badClientsFieldIsReportedWithItsLineNumber() throws IOException {
    String hash = FAST.hash("pw".toCharArray());
    for (String bad :
        List.of(
            ":clients=pi-?",
            ":clients=pi-#",
            ":clients=",
            ":clients=a b",
            ":hosts=pi-*",
            ":",
            ":clients=pi-*:extra",
            ":clients=*")) {
      String role =
          bad.equals(":clients=*") ? "camera" : "worker"; // a pattern on a camera restricts nothing
      Path file =
          Files.writeString(
              folder.resolve("users.txt"),
              "# header\nok:worker:" + hash + "\nbad:" + role + ":" + hash + bad + "\n");
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> UsersFile.load(file), bad);
      assertTrue(e.getMessage().contains("line 3"), bad + ": " + e.getMessage());
    }
  }

  @Test
  void unknownRoleOrClearPasswordIsRejected() throws IOException {
    Path unknownRole =
        Files.writeString(folder.resolve("a.txt"), "x:operator:" + FAST.hash("p".toCharArray()));
    assertThrows(IllegalArgumentException.class, () -> UsersFile.load(unknownRole));
    Path clearPassword = Files.writeString(folder.resolve("b.txt"), "x:admin:hunter2");
    assertThrows(IllegalArgumentException.class, () -> UsersFile.load(clearPassword));
  }

  @Test
  void duplicateUserIsRejected() throws IOException {
    String hash = FAST.hash("pw".toCharArray());
    Path file =
        Files.writeString(
            folder.resolve("users.txt"), "a:mes:" + hash + "\na:admin:" + hash + "\n");
    assertThrows(IllegalArgumentException.class, () -> UsersFile.load(file));
    UserAccount account = new UserAccount("a", Role.MES, hash);
    assertThrows(
        IllegalArgumentException.class,
        () -> UsersFile.write(folder.resolve("x"), List.of(account, account)));
  }

  @Test
  void userNamesThatWouldBreakTheFileAreRejected() {
    String hash = FAST.hash("pw".toCharArray());
    for (String name : List.of("", "a:b", "a b", "#a", "a\nb")) {
      assertThrows(
          IllegalArgumentException.class, () -> new UserAccount(name, Role.MES, hash), name);
    }
  }

  @Test
  void withReplacesAndWithoutRemoves() {
    UsersFile users =
        UsersFile.empty()
            .with(UserAccount.create("w", Role.WORKER, "1".toCharArray(), FAST))
            .with(UserAccount.create("w", Role.ADMIN, "2".toCharArray(), FAST));
    assertEquals(Role.ADMIN, users.find("w").orElseThrow().role());
    assertTrue(users.without("w").isEmpty());
  }

  @Test
  void environmentVariableNamesTheFileElseTheFallbackIsUsed() {
    Path fallback = Path.of("/opt/hivemq/extensions/edgedi-access-control/users.txt");
    assertEquals(
        Path.of("/secrets/users.txt"),
        UsersFile.locate(Map.of(UsersFile.PATH_VARIABLE, "/secrets/users.txt"), fallback));
    assertEquals(fallback, UsersFile.locate(Map.of(), fallback));
    assertEquals(fallback, UsersFile.locate(Map.of(UsersFile.PATH_VARIABLE, " "), fallback));
  }

  @Test
  void accountToStringHidesTheHash() {
    UserAccount account = UserAccount.create("w", Role.WORKER, "pw".toCharArray(), FAST);
    assertFalse(account.toString().contains("pbkdf2"));
  }
}
