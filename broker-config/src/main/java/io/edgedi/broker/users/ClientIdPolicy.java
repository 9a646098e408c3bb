package io.edgedi.broker.users;

import java.util.List;
import java.util.Optional;

/**
 * Which client ids an authenticated account may connect with: what {@link
 * UserAccount#allowsClientId} allows, minus the ids another worker or planner account owns ({@link
 * UserAccount#ownsClientId}: its name; for a planner also {@code <name>-*}).
 *
 * <p>Why the second rule: MQTT keeps one session per client id, and whoever connects with that id
 * takes the session over, with its subscriptions and the messages queued for it. Measured on the
 * embedded HiveMQ: an MES account connecting as a worker's client id with clean start off received
 * the tile queued for that worker. So the ids of worker {@code pi-07} belong to that account alone;
 * a fleet account with {@code clients=*}, a camera, an MES or an admin connecting as {@code pi-07}
 * is refused. Ids reached only through a {@code clients=} pattern are not reserved this way (a
 * {@code clients=*} account would otherwise lock out every other client).
 *
 * <p>The most specific owner wins: an account's exact name before a planner's prefix, a longer
 * planner name before a shorter one. Thread-safe: immutable.
 */
public final class ClientIdPolicy {

  /** The accounts that own client ids: workers and planners. */
  private final List<UserAccount> owners;

  public ClientIdPolicy(UsersFile users) {
    this.owners = users.accounts().stream().filter(a -> a.role().topicsNamedByClientId()).toList();
  }

  /** The account whose own id {@code clientId} is, if any. */
  public Optional<UserAccount> ownerOf(String clientId) {
    UserAccount best = null;
    for (UserAccount account : owners) {
      if (account.name().equals(clientId)) {
        return Optional.of(account);
      }
      if (account.ownsClientId(clientId)
          && (best == null || account.name().length() > best.name().length())) {
        best = account;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Why {@code account} may not connect as {@code clientId}, for the log; empty if it may. Call it
   * only after the password check: the answer tells which ids an account has.
   */
  public Optional<String> refusal(UserAccount account, String clientId) {
    String refused =
        "client id '"
            + clientId
            + "' is not allowed for user '"
            + account.name()
            + "' (role "
            + account.role().id()
            + ")";
    Optional<UserAccount> owner = ownerOf(clientId);
    if (owner.isPresent() && !owner.get().name().equals(account.name())) {
      return Optional.of(
          refused
              + ": it belongs to user '"
              + owner.get().name()
              + "' (role "
              + owner.get().role().id()
              + ")");
    }
    if (!account.allowsClientId(clientId)) {
      return Optional.of(refused + ": allowed " + account.describeAllowedClientIds());
    }
    return Optional.empty();
  }
}
