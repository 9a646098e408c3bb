package io.edgedi.broker.users;

import io.edgedi.broker.access.Role;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One line of the users file: who, in which role, proven by which password hash, and for workers
 * and planners which MQTT client ids the account may use.
 *
 * <p>Why client ids at all: a worker's and a planner's topic permissions are built from the client
 * id (its tiles, its partials), so whoever may pick the client id picks whose tiles it reads. By
 * default such an account is bound to its own name: worker {@code pi-07} must connect as client
 * {@code pi-07}. {@link #clients} widens that on purpose, e.g. one account for a fleet ({@code
 * clients=pi-*}).
 *
 * @param name the MQTT user name
 * @param role what the user may do
 * @param passwordHash a {@link PasswordHasher} hash, never a clear password
 * @param clients further client ids the account may use; null = only the defaults of {@link
 *     #allowsClientId}. Only for roles whose topics name the client (worker, planner)
 */
public record UserAccount(String name, Role role, String passwordHash, ClientIdGlob clients) {

  /** No ":" (the field separator), no whitespace, no "#" (the comment marker). */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,128}");

  public UserAccount {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(passwordHash, "passwordHash");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "bad user name '" + name + "': use letters, digits, '.', '_', '@' or '-' (at most 128)");
    }
    PasswordHasher.iterationsOf(passwordHash);
    checkClientsFitRole(role, clients);
  }

  /**
   * Rejects a {@code clients=} pattern on a role whose permissions do not depend on the client id
   * (camera, mes, admin): there it would restrict nothing, though it reads as if it did.
   *
   * @throws IllegalArgumentException if {@code clients} is set and the role is not worker or
   *     planner
   */
  public static void checkClientsFitRole(Role role, ClientIdGlob clients) {
    if (clients != null && !role.topicsNamedByClientId()) {
      throw new IllegalArgumentException(
          clients.toField() + " is for worker and planner accounts only, not " + role.id());
    }
  }

  /** An account bound to the default client ids (no {@code clients=} field). */
  public UserAccount(String name, Role role, String passwordHash) {
    this(name, role, passwordHash, null);
  }

  /** Creates an account by hashing {@code password} with {@code hasher}; wipes nothing. */
  public static UserAccount create(String name, Role role, char[] password, PasswordHasher hasher) {
    return new UserAccount(name, role, hasher.hash(password));
  }

  /** Creates an account with a hash of {@link PasswordHasher#DEFAULT_ITERATIONS}. */
  public static UserAccount create(String name, Role role, char[] password) {
    return create(name, role, password, new PasswordHasher());
  }

  /** A copy that may also use the client ids matching {@code glob} (null: only the defaults). */
  public UserAccount withClients(ClientIdGlob glob) {
    return new UserAccount(name, role, passwordHash, glob);
  }

  /**
   * Whether {@code clientId} is one of this account's own ids: its name, for a planner also {@code
   * <name>-<anything>}, because a planner opens more than one connection, named {@code <planner
   * id>-<purpose>} (today {@code -frames}), and the broker need not know which. Other accounts may
   * not use these ids ({@link ClientIdPolicy}). Always false for roles whose topics do not name the
   * client.
   */
  public boolean ownsClientId(String clientId) {
    if (!role.topicsNamedByClientId() || clientId == null) {
      return false;
    }
    return clientId.equals(name)
        || (role == Role.PLANNER
            && clientId.length() > name.length() + 1
            && clientId.startsWith(name + "-"));
  }

  /**
   * Whether this account may connect with {@code clientId}, judged on the account alone ({@link
   * ClientIdPolicy} adds that no account takes ids another one owns): any id for a role whose
   * topics do not contain the client id; else its {@linkplain #ownsClientId own ids} and what
   * {@link #clients} matches.
   */
  public boolean allowsClientId(String clientId) {
    if (!role.topicsNamedByClientId()) {
      return true;
    }
    return ownsClientId(clientId) || (clients != null && clients.matches(clientId));
  }

  /** For log lines: which client ids {@link #allowsClientId} admits, e.g. {@code 'pi-07'}. */
  public String describeAllowedClientIds() {
    if (!role.topicsNamedByClientId()) {
      return "any";
    }
    String own = role == Role.PLANNER ? "'" + name + "' or '" + name + "-*'" : "'" + name + "'";
    return clients == null ? own : own + " or " + clients.toField();
  }

  /** The users-file line, {@code name:role:hash} or {@code name:role:hash:clients=GLOB}. */
  String toLine() {
    String line = name + ":" + role.id() + ":" + passwordHash;
    return clients == null ? line : line + ":" + clients.toField();
  }

  @Override
  public String toString() {
    // the hash stays out of logs and exception messages
    return "UserAccount["
        + name
        + ", "
        + role.id()
        + (clients == null ? "" : ", " + clients.toField())
        + "]";
  }
}
