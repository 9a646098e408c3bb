package io.edgedi.broker.users;

import io.edgedi.broker.access.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The broker's users: a UTF-8 text file, one {@code user:role:hash} per line, optionally followed
 * by {@code :clients=GLOB} ({@link ClientIdGlob}: more client ids a worker or planner account may
 * use), {@code #} comments and blank lines ignored. The hash is a {@link PasswordHasher} string, so
 * the file holds no password.
 *
 * <pre>
 * # EdgeDI broker users
 * planner-1:planner:pbkdf2-sha256$600000$Jx3...$9sQ...
 * pi-07:worker:pbkdf2-sha256$600000$c2F...$Hk1...
 * fleet:worker:pbkdf2-sha256$600000$a8D...$3Rt...:clients=pi-*
 * </pre>
 *
 * <p>Users never live in code: the broker reads this file from the path in the {@value
 * #PATH_VARIABLE} environment variable (or one given explicitly). To add a user: {@code
 * UsersFile.load(p).with(UserAccount.create(name, role, password)).writeTo(p)}. Thread-safe:
 * immutable.
 */
public final class UsersFile {

  /** Environment variable with the path of the users file. */
  public static final String PATH_VARIABLE = "EDGEDI_USERS_FILE";

  private final Map<String, UserAccount> accounts;

  private UsersFile(Map<String, UserAccount> accounts) {
    this.accounts = Collections.unmodifiableMap(accounts);
  }

  public static UsersFile empty() {
    return new UsersFile(new LinkedHashMap<>());
  }

  /**
   * @throws IllegalArgumentException if two accounts share a name
   */
  public static UsersFile of(Collection<UserAccount> accounts) {
    Map<String, UserAccount> byName = new LinkedHashMap<>();
    for (UserAccount account : accounts) {
      if (byName.put(account.name(), account) != null) {
        throw new IllegalArgumentException("user '" + account.name() + "' appears twice");
      }
    }
    return new UsersFile(byName);
  }

  /**
   * Reads a users file.
   *
   * @throws IOException if it cannot be read
   * @throws IllegalArgumentException naming the line, if a line is malformed or a user repeats
   */
  public static UsersFile load(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    Map<String, UserAccount> byName = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      UserAccount account;
      try {
        account = parseLine(line);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
      }
      if (byName.put(account.name(), account) != null) {
        throw new IllegalArgumentException(
            file + " line " + (i + 1) + ": user '" + account.name() + "' appears twice");
      }
    }
    return new UsersFile(byName);
  }

  private static UserAccount parseLine(String line) {
    // -1 keeps a trailing empty field, so "user:role:hash:" is an error rather than 3 fields
    String[] fields = line.split(":", -1);
    if (fields.length != 3 && fields.length != 4) {
      throw new IllegalArgumentException("expected user:role:hash or user:role:hash:clients=GLOB");
    }
    ClientIdGlob clients = null;
    if (fields.length == 4) {
      String field = fields[3].strip();
      if (!field.startsWith(ClientIdGlob.FIELD)) {
        throw new IllegalArgumentException(
            "fourth field must be clients=GLOB, not '" + field + "'");
      }
      clients = new ClientIdGlob(field.substring(ClientIdGlob.FIELD.length()));
    }
    return new UserAccount(fields[0].strip(), Role.fromId(fields[1]), fields[2].strip(), clients);
  }

  /**
   * The users file named by {@value #PATH_VARIABLE} in {@code environment}, else {@code fallback}.
   * Takes the environment as a map so callers and tests can pass {@code System.getenv()} or their
   * own.
   */
  public static Path locate(Map<String, String> environment, Path fallback) {
    String configured = environment.get(PATH_VARIABLE);
    return configured == null || configured.isBlank() ? fallback : Path.of(configured.strip());
  }

  /**
   * Writes {@code accounts} as a users file, replacing {@code file} in one step (write to a
   * sibling, then rename) so a broker never reads half a file. On POSIX file systems the new file
   * is readable by its owner only.
   */
  public static void write(Path file, Collection<UserAccount> accounts) throws IOException {
    UsersFile checked = of(accounts); // rejects duplicates before touching the disk
    StringBuilder text =
        new StringBuilder(
            "# EdgeDI broker users: user:role:pbkdf2-hash[:clients=GLOB]"
                + " (roles: camera, planner, worker, mes, admin)\n"
                + "# clients=: more MQTT client ids a worker or planner may use ('*' = any characters);"
                + " without it only its own name\n");
    for (UserAccount account : checked.accounts.values()) {
      text.append(account.toLine()).append('\n');
    }
    Path absolute = file.toAbsolutePath();
    Path directory = absolute.getParent();
    Files.createDirectories(directory);
    Path temporary = Files.createTempFile(directory, absolute.getFileName().toString(), ".tmp");
    try {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
      }
      Files.writeString(temporary, text, StandardCharsets.UTF_8);
      try {
        Files.move(
            temporary,
            absolute,
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** Writes this file's accounts to {@code file}; see {@link #write(Path, Collection)}. */
  public void writeTo(Path file) throws IOException {
    write(file, accounts.values());
  }

  /** A copy with {@code account} added, or replacing the account of the same name. */
  public UsersFile with(UserAccount account) {
    Map<String, UserAccount> copy = new LinkedHashMap<>(accounts);
    copy.put(account.name(), account);
    return new UsersFile(copy);
  }

  /** A copy without the account named {@code userName} (unchanged if there is none). */
  public UsersFile without(String userName) {
    Map<String, UserAccount> copy = new LinkedHashMap<>(accounts);
    copy.remove(userName);
    return new UsersFile(copy);
  }

  public Optional<UserAccount> find(String userName) {
    return Optional.ofNullable(accounts.get(userName));
  }

  /** The accounts in file order. */
  public List<UserAccount> accounts() {
    return List.copyOf(accounts.values());
  }

  public boolean isEmpty() {
    return accounts.isEmpty();
  }

  public int size() {
    return accounts.size();
  }
}
