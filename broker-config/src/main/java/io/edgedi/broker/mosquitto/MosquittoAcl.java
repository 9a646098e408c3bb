package io.edgedi.broker.mosquitto;

import io.edgedi.broker.access.AccessRules;
import io.edgedi.broker.access.TopicRule;
import io.edgedi.broker.users.UserAccount;
import io.edgedi.broker.users.UsersFile;

/**
 * An Eclipse Mosquitto 2 ACL file ({@code acl_file}) giving every account of a users file the topic
 * rights {@link AccessRules} gives its role on HiveMQ, so both brokers are fed from one role table.
 *
 * <p>Where {@link AccessRules} writes the client id into a topic (a worker's tasks, a planner's
 * partials), the user name is written instead: Mosquitto's only per-client substitution is a {@code
 * pattern} line, and those apply to every user whatever section they sit in, so a camera connecting
 * as client {@code worker-1} would get worker-1's tasks. Consequently an account with a {@code
 * clients=} pattern cannot be expressed and is refused rather than silently widened.
 */
public final class MosquittoAcl {

  private MosquittoAcl() {}

  /**
   * The ACL text for every account of {@code users}.
   *
   * @throws IllegalArgumentException if an account has a {@code clients=} pattern
   */
  public static String render(UsersFile users) {
    StringBuilder acl =
        new StringBuilder(
            "# EdgeDI role rights for Mosquitto 2 (./edgedi users --mosquitto); everything not listed is denied.\n");
    for (UserAccount account : users.accounts()) {
      if (account.clients() != null) {
        throw new IllegalArgumentException(
            "user '"
                + account.name()
                + "' has "
                + account.clients()
                + ": Mosquitto's ACL file cannot bind a user to client ids; give each "
                + account.role().id()
                + " its own account");
      }
      acl.append('\n').append("# role ").append(account.role().id()).append('\n');
      acl.append("user ").append(account.name()).append('\n');
      for (TopicRule rule : AccessRules.forRole(account.role(), account.name())) {
        acl.append("topic ")
            .append(access(rule.activity()))
            .append(' ')
            .append(rule.topicFilter())
            .append('\n');
      }
    }
    return acl.toString();
  }

  private static String access(TopicRule.Activity activity) {
    return switch (activity) {
      case PUBLISH -> "write";
      case SUBSCRIBE -> "read";
      case PUBLISH_AND_SUBSCRIBE -> "readwrite";
    };
  }
}
