package io.edgedi.broker.access;

import java.util.Objects;

/**
 * One allowed topic filter for one kind of MQTT activity. Pure data: the HiveMQ extension turns it
 * into an SDK {@code TopicPermission}; keeping it free of the SDK lets the CLI and the docs use it.
 *
 * @param topicFilter an MQTT topic filter ({@code +} and {@code #} allowed)
 * @param activity what the filter allows
 */
public record TopicRule(String topicFilter, Activity activity) {

  /** What a rule allows on its filter. */
  public enum Activity {
    PUBLISH,
    SUBSCRIBE,
    PUBLISH_AND_SUBSCRIBE
  }

  public TopicRule {
    Objects.requireNonNull(topicFilter, "topicFilter");
    Objects.requireNonNull(activity, "activity");
    if (topicFilter.isEmpty()) {
      throw new IllegalArgumentException("empty topic filter");
    }
  }

  public static TopicRule publish(String topicFilter) {
    return new TopicRule(topicFilter, Activity.PUBLISH);
  }

  public static TopicRule subscribe(String topicFilter) {
    return new TopicRule(topicFilter, Activity.SUBSCRIBE);
  }

  public static TopicRule publishAndSubscribe(String topicFilter) {
    return new TopicRule(topicFilter, Activity.PUBLISH_AND_SUBSCRIBE);
  }
}
