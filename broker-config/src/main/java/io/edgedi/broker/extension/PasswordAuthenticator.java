package io.edgedi.broker.extension;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.auth.ModifiableDefaultPermissions;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import io.edgedi.broker.access.AccessRules;
import io.edgedi.broker.access.Role;
import io.edgedi.broker.access.TopicRule;
import io.edgedi.broker.users.ClientIdPolicy;
import io.edgedi.broker.users.PasswordHasher;
import io.edgedi.broker.users.UserAccount;
import io.edgedi.broker.users.UsersFile;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks user name and password against the users file and gives the connection its role's topic
 * permissions as HiveMQ default permissions (default DENY). HiveMQ then enforces them inline for
 * every PUBLISH and SUBSCRIBE; registering an authorizer instead would send every PUBLISH through
 * the extension executor, a thread hop on the hot path of tiles and partial outputs.
 *
 * <p>Outcomes: no user name or password: CONNACK 0x87 (not authorized); unknown user or wrong
 * password: 0x86 (bad user name or password), the same for both so user names cannot be probed; a
 * worker or planner whose client id cannot be written into a topic: 0x85 (client identifier not
 * valid); any account whose client id is not its to use ({@link ClientIdPolicy}: a worker's or
 * planner's own name, its {@code clients=} pattern, never another worker's or planner's id): 0x85
 * too. The client id is judged only after the password matched, so it tells a stranger nothing.
 *
 * <p>PBKDF2 is slow on purpose, so the check runs on {@code hashingExecutor} (HiveMQ's managed
 * extension executor) rather than on the task queue HiveMQ shares between clients. Thread-safe: one
 * shared instance serves all connections; its state is immutable.
 */
final class PasswordAuthenticator implements SimpleAuthenticator {

  private static final Logger log = LoggerFactory.getLogger(PasswordAuthenticator.class);
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(20);

  private final UsersFile users;
  private final ClientIdPolicy clientIds;
  private final Executor hashingExecutor;

  /** Checked against when the user is unknown, so that answer takes as long as a wrong password. */
  private final String decoyHash;

  PasswordAuthenticator(UsersFile users, Executor hashingExecutor) {
    this.users = users;
    this.clientIds = new ClientIdPolicy(users);
    this.hashingExecutor = hashingExecutor;
    int slowestIterations =
        users.accounts().stream()
            .mapToInt(account -> PasswordHasher.iterationsOf(account.passwordHash()))
            .max()
            .orElse(PasswordHasher.DEFAULT_ITERATIONS);
    this.decoyHash = new PasswordHasher(slowestIterations).hash("decoy".toCharArray());
  }

  @Override
  public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
    ConnectPacket connect = input.getConnectPacket();
    String clientId = input.getClientInformation().getClientId();
    Optional<String> userName = connect.getUserName();
    Optional<ByteBuffer> password = connect.getPassword();
    if (userName.isEmpty() || password.isEmpty()) {
      log.warn("Refused client '{}': no user name or password (anonymous access is off)", clientId);
      output.failAuthentication(
          ConnackReasonCode.NOT_AUTHORIZED, "user name and password required");
      return;
    }
    char[] passwordChars = decodeUtf8(password.get());
    Async<SimpleAuthOutput> async = output.async(CHECK_TIMEOUT, TimeoutFallback.FAILURE);
    try {
      hashingExecutor.execute(
          () -> {
            try {
              decide(input, async.getOutput(), clientId, userName.get(), passwordChars);
            } catch (RuntimeException e) {
              log.error("Refused client '{}': authentication failed unexpectedly", clientId, e);
              async
                  .getOutput()
                  .failAuthentication(ConnackReasonCode.UNSPECIFIED_ERROR, "authentication error");
            } finally {
              PasswordHasher.wipe(passwordChars);
              async.resume();
            }
          });
    } catch (RuntimeException rejected) {
      // the executor is shutting down with the broker
      PasswordHasher.wipe(passwordChars);
      output.failAuthentication(ConnackReasonCode.SERVER_UNAVAILABLE, "broker is stopping");
      async.resume();
    }
  }

  private void decide(
      SimpleAuthInput input,
      SimpleAuthOutput output,
      String clientId,
      String userName,
      char[] password) {
    Optional<UserAccount> account = users.find(userName);
    boolean passwordMatches;
    if (account.isPresent()) {
      passwordMatches = PasswordHasher.verify(password, account.get().passwordHash());
    } else {
      PasswordHasher.verify(password, decoyHash); // only for its duration
      passwordMatches = false;
    }
    if (!passwordMatches) {
      log.warn("Refused client '{}': bad user name or password for user '{}'", clientId, userName);
      output.failAuthentication(
          ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
      return;
    }
    Role role = account.get().role();
    if (role.topicsNamedByClientId() && !AccessRules.isTopicSafeId(clientId)) {
      log.warn(
          "Refused client '{}' (user '{}', role {}): a {} client id is used in topics and must be "
              + "letters, digits, '.', '_' or '-'",
          clientId,
          userName,
          role.id(),
          role.id());
      output.failAuthentication(
          ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
          "client id must be the " + role.id() + " id");
      return;
    }
    Optional<String> refusal = clientIds.refusal(account.get(), clientId);
    if (refusal.isPresent()) {
      log.warn("Refused client '{}': {}", clientId, refusal.get());
      output.failAuthentication(
          ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "client id not allowed for this user");
      return;
    }
    ModifiableDefaultPermissions permissions = output.getDefaultPermissions();
    permissions.addAll(toTopicPermissions(AccessRules.forRole(role, clientId)));
    // explicit: with no matching rule HiveMQ would otherwise ALLOW when the list is empty
    permissions.setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
    ConnectionIdentity.record(
        input.getConnectionInformation().getConnectionAttributeStore(), userName, role);
    log.debug("Authenticated client '{}' as user '{}', role {}", clientId, userName, role.id());
    output.authenticateSuccessfully(true);
  }

  static List<TopicPermission> toTopicPermissions(List<TopicRule> rules) {
    List<TopicPermission> permissions = new ArrayList<>(rules.size());
    for (TopicRule rule : rules) {
      permissions.add(
          Builders.topicPermission()
              .topicFilter(rule.topicFilter())
              .activity(
                  switch (rule.activity()) {
                    case PUBLISH -> TopicPermission.MqttActivity.PUBLISH;
                    case SUBSCRIBE -> TopicPermission.MqttActivity.SUBSCRIBE;
                    case PUBLISH_AND_SUBSCRIBE -> TopicPermission.MqttActivity.ALL;
                  })
              .type(TopicPermission.PermissionType.ALLOW)
              .build());
    }
    return permissions;
  }

  private static char[] decodeUtf8(ByteBuffer bytes) {
    CharBuffer chars = StandardCharsets.UTF_8.decode(bytes.asReadOnlyBuffer());
    char[] copy = new char[chars.remaining()];
    chars.get(copy);
    // wipe the decoder's buffer too; only the copy lives on until the check is done
    if (chars.hasArray()) {
      Arrays.fill(chars.array(), '\0');
    }
    return copy;
  }
}
