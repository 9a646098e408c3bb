package io.edgedi.broker.extension;

import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import io.edgedi.broker.access.Role;

/**
 * Who a connection authenticated as, kept in the connection attribute store. HiveMQ hands later
 * callbacks (disconnect events, interceptors, authorizers) the client id but not the user name, so
 * the authenticator records user and role here for them.
 */
final class ConnectionIdentity {

  static final String USER_KEY = "io.edgedi.broker.user";
  static final String ROLE_KEY = "io.edgedi.broker.role";

  private ConnectionIdentity() {}

  static void record(ConnectionAttributeStore store, String user, Role role) {
    store.putAsString(USER_KEY, user);
    store.putAsString(ROLE_KEY, role.id());
  }

  /** For log lines: {@code user 'pi-07', role worker} (or {@code unauthenticated}). */
  static String describe(ConnectionAttributeStore store) {
    return store
        .getAsString(USER_KEY)
        .map(user -> "user '" + user + "', role " + store.getAsString(ROLE_KEY).orElse("?"))
        .orElse("unauthenticated");
  }
}
