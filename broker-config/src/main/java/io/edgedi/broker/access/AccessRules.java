package io.edgedi.broker.access;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The topic permissions of each role, following the topic tree {@code edgedi/v1/{site}/...} of
 * ARCHITECTURE.md. The site level is always {@code +}: one broker may serve several sites.
 *
 * <p>HiveMQ CE has no {@code ${clientid}} placeholder in topic permissions (the SDK's
 * TopicPermissionBuilder takes a literal filter), so the rules are built per connection with the
 * client id written in. That is why a worker's client id must be its worker id, and why such ids
 * are checked: a client id of {@code +} or {@code #} would otherwise widen the permission to every
 * worker's tiles.
 *
 * <p>Every rule here is an allowance; anything not listed is denied. A forbidden PUBLISH makes the
 * broker disconnect the client, so the lists must cover each role's normal flow completely.
 * Thread-safe: stateless.
 */
public final class AccessRules {

  /** Root of every EdgeDI topic; the version level changes only with an incompatible tree. */
  public static final String TOPIC_ROOT = "edgedi/v1";

  static final String FRAMES = TOPIC_ROOT + "/+/+/frames/+";
  static final String IMAGES = TOPIC_ROOT + "/+/+/images/+";
  static final String TELEMETRY_OF_ALL_WORKERS = TOPIC_ROOT + "/+/workers/+/telemetry";
  static final String TASKS_OF_ALL_WORKERS = TOPIC_ROOT + "/+/workers/+/tasks";
  static final String PARTIALS_OF_ALL_PLANNERS = TOPIC_ROOT + "/+/planners/+/partials";
  static final String PLANS = TOPIC_ROOT + "/+/plans";
  static final String CLASSIFICATIONS = TOPIC_ROOT + "/+/+/classifications/+";
  static final String CLASSIFICATIONS_JSON = TOPIC_ROOT + "/+/+/classifications-json/+";
  static final String ERRORS = TOPIC_ROOT + "/+/errors/+";
  static final String PLANNER_LEASE = TOPIC_ROOT + "/+/planners/lease";

  /**
   * A client id that may be written into a topic filter: one topic level, no wildcards, no {@code
   * $}, no spaces, at most 128 characters.
   */
  private static final Pattern TOPIC_SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private AccessRules() {}

  /** Whether {@code clientId} can stand for a worker or planner id inside a topic. */
  public static boolean isTopicSafeId(String clientId) {
    return clientId != null && TOPIC_SAFE_ID.matcher(clientId).matches();
  }

  /**
   * The allowances of {@code role} for a client connected with {@code clientId}.
   *
   * @throws IllegalArgumentException if the role names topics by client id and the id is not
   *     {@linkplain #isTopicSafeId topic-safe}
   */
  public static List<TopicRule> forRole(Role role, String clientId) {
    if (role.topicsNamedByClientId() && !isTopicSafeId(clientId)) {
      throw new IllegalArgumentException(
          "client id '"
              + clientId
              + "' cannot name a "
              + role.id()
              + " in a topic: use letters, digits, '.', '_' or '-'");
    }
    return switch (role) {
      case CAMERA ->
          List.of(
              TopicRule.publish(FRAMES),
              // a smart camera publishes encoded images; the camera gateway, also a camera
              // account, subscribes and turns them into frames
              TopicRule.publishAndSubscribe(IMAGES),
              TopicRule.publish(ERRORS));
      case PLANNER ->
          List.of(
              TopicRule.subscribe(FRAMES),
              TopicRule.subscribe(TELEMETRY_OF_ALL_WORKERS),
              TopicRule.subscribe(TOPIC_ROOT + "/+/planners/" + clientId + "/partials"),
              TopicRule.publish(TASKS_OF_ALL_WORKERS),
              TopicRule.publish(PLANS),
              TopicRule.publish(CLASSIFICATIONS),
              TopicRule.publish(CLASSIFICATIONS_JSON),
              TopicRule.publish(ERRORS),
              // Failover (docs/decisions/004): the planners of a site hold one lease between
              // them, and a standby drops a spooled frame once it sees the frame's verdict.
              TopicRule.publishAndSubscribe(PLANNER_LEASE),
              TopicRule.subscribe(CLASSIFICATIONS));
      case WORKER ->
          List.of(
              TopicRule.subscribe(TOPIC_ROOT + "/+/workers/" + clientId + "/tasks"),
              // Halo rows and attention sums between the workers of a frame. The sender's own
              // id is the last level, so a receiver knows who sent a peer message from the
              // topic the broker let through; whether the sender belongs to that frame's plan
              // is checked by the receiver, which holds the plan (docs/decisions).
              TopicRule.subscribe(TOPIC_ROOT + "/+/workers/" + clientId + "/peer/+"),
              TopicRule.publish(TOPIC_ROOT + "/+/workers/+/peer/" + clientId),
              // also covers the worker's last will ("offline") and clearing its retained state
              TopicRule.publish(TOPIC_ROOT + "/+/workers/" + clientId + "/telemetry"),
              TopicRule.publish(PARTIALS_OF_ALL_PLANNERS),
              TopicRule.publish(ERRORS));
      case MES ->
          List.of(
              TopicRule.subscribe(CLASSIFICATIONS),
              TopicRule.subscribe(CLASSIFICATIONS_JSON),
              TopicRule.subscribe(PLANS),
              TopicRule.subscribe(TELEMETRY_OF_ALL_WORKERS),
              TopicRule.subscribe(ERRORS));
      case ADMIN -> List.of(TopicRule.publishAndSubscribe("#"));
    };
  }
}
