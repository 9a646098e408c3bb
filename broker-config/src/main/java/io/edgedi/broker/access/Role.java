package io.edgedi.broker.access;

import java.util.Arrays;
import java.util.Locale;

/**
 * What a connected MQTT client is allowed to be. Each user in the users file has exactly one role;
 * {@link AccessRules} turns a role into topic permissions.
 */
public enum Role {
  /** Publishes frames (and errors). */
  CAMERA(false),
  /**
   * The leader: consumes frames, telemetry and partial outputs; dispatches tiles; publishes
   * results.
   */
  PLANNER(true),
  /** Receives only its own tiles, reports its own telemetry and returns partial outputs. */
  WORKER(true),
  /** Manufacturing execution system and dashboards: read-only. */
  MES(false),
  /** Operators and tooling: everything. */
  ADMIN(false);

  private final boolean topicsNamedByClientId;

  Role(boolean topicsNamedByClientId) {
    this.topicsNamedByClientId = topicsNamedByClientId;
  }

  /**
   * Whether some of this role's topic permissions contain the MQTT client id (a worker's tiles, a
   * planner's partials). Such clients must use their worker/planner id as client id, and an account
   * of such a role is bound to the ids it may use ({@code UserAccount#allowsClientId}): otherwise
   * whoever picks the client id would pick whose tiles to read.
   */
  public boolean topicsNamedByClientId() {
    return topicsNamedByClientId;
  }

  /** The name used in the users file: lower case, e.g. {@code worker}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a role name as written in the users file (case-insensitive). */
  public static Role fromId(String id) {
    for (Role role : values()) {
      if (role.id().equalsIgnoreCase(id.trim())) {
        return role;
      }
    }
    throw new IllegalArgumentException(
        "unknown role '"
            + id
            + "', expected one of "
            + Arrays.toString(Arrays.stream(values()).map(Role::id).toArray()));
  }
}
