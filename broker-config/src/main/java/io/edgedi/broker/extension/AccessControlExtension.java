package io.edgedi.broker.extension;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import io.edgedi.broker.users.UsersFile;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The EdgeDI HiveMQ extension: password authentication against the users file, per-role topic
 * permissions, and a log line for every denied access.
 *
 * <p>Two ways in. In the HiveMQ container HiveMQ creates it through the no-argument constructor
 * (found via the {@code META-INF/services} entry that only the extension jar carries) and it reads
 * the users file named by {@value UsersFile#PATH_VARIABLE}, else {@value #USERS_FILE_NAME} in its
 * own extension folder. Embedded, {@code EmbeddedBroker} hands it the users directly.
 *
 * <p>If the users cannot be read the extension refuses to start. A standalone HiveMQ without an
 * authenticator refuses every client, but an embedded one admits everybody, which is why {@code
 * EmbeddedBroker} checks {@link #isStarted()} and gives up otherwise.
 */
public final class AccessControlExtension implements ExtensionMain {

  /** Id of the extension (its folder name in a HiveMQ installation). */
  public static final String ID = "edgedi-access-control";

  /**
   * Users file looked for in the extension folder when {@value UsersFile#PATH_VARIABLE} is not set.
   */
  public static final String USERS_FILE_NAME = "users.txt";

  private static final Logger log = LoggerFactory.getLogger(AccessControlExtension.class);

  private final UsersFile presetUsers;
  private volatile boolean started;

  /** For HiveMQ's extension loader: the users come from the users file. */
  public AccessControlExtension() {
    this.presetUsers = null;
  }

  /** For an embedded broker: serve exactly these users. */
  public AccessControlExtension(UsersFile users) {
    this.presetUsers = users;
  }

  @Override
  public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
    UsersFile users;
    try {
      users = presetUsers != null ? presetUsers : loadUsersFile(input);
    } catch (IOException | RuntimeException e) {
      log.error(
          "EdgeDI access control not started: cannot read the users file: {}", e.getMessage());
      output.preventExtensionStartup("cannot read the users file: " + e.getMessage());
      return;
    }
    if (users.isEmpty()) {
      log.warn("EdgeDI access control: the users file has no users, every client will be refused");
    }
    DeniedAccessLog deniedAccessLog = new DeniedAccessLog();
    PasswordAuthenticator authenticator =
        new PasswordAuthenticator(users, Services.extensionExecutorService());
    Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
    Services.eventRegistry().setClientLifecycleEventListener(providerInput -> deniedAccessLog);
    Services.initializerRegistry()
        .setClientInitializer(
            (initializerInput, clientContext) ->
                clientContext.addSubackOutboundInterceptor(deniedAccessLog));
    started = true;
    log.info("EdgeDI access control started with {} users", users.size());
  }

  @Override
  public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
    started = false;
  }

  /** Whether the authenticator is registered, i.e. the broker refuses unknown clients. */
  public boolean isStarted() {
    return started;
  }

  private static UsersFile loadUsersFile(ExtensionStartInput input) throws IOException {
    Path fallback =
        input.getExtensionInformation().getExtensionHomeFolder().toPath().resolve(USERS_FILE_NAME);
    Path file = UsersFile.locate(System.getenv(), fallback);
    log.info("EdgeDI access control reads users from {}", file);
    return UsersFile.load(file);
  }
}
