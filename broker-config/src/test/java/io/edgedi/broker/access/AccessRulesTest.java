package io.edgedi.broker.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.broker.access.TopicRule.Activity;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccessRulesTest {

  @Test
  void workerMaySubscribeOnlyToItsOwnTasksAndPeerMessages() {
    List<String> subscriptions =
        filters(AccessRules.forRole(Role.WORKER, "pi-07"), Activity.SUBSCRIBE);
    assertEquals(
        List.of("edgedi/v1/+/workers/pi-07/tasks", "edgedi/v1/+/workers/pi-07/peer/+"),
        subscriptions);
  }

  @Test
  void workerPublishesItsOwnTelemetryPeerMessagesSignedByItsIdPartialsAndErrors() {
    List<String> publications =
        filters(AccessRules.forRole(Role.WORKER, "pi-07"), Activity.PUBLISH);
    assertEquals(
        List.of(
            "edgedi/v1/+/workers/+/peer/pi-07",
            "edgedi/v1/+/workers/pi-07/telemetry",
            "edgedi/v1/+/planners/+/partials",
            "edgedi/v1/+/errors/+"),
        publications);
  }

  @Test
  void plannerSubscribesToItsOwnPartialsOnly() {
    List<String> subscriptions =
        filters(AccessRules.forRole(Role.PLANNER, "planner-a"), Activity.SUBSCRIBE);
    assertTrue(subscriptions.contains("edgedi/v1/+/planners/planner-a/partials"));
    assertFalse(subscriptions.contains("edgedi/v1/+/planners/+/partials"));
  }

  @Test
  void mesHasNoPublishRule() {
    assertTrue(filters(AccessRules.forRole(Role.MES, "mes"), Activity.PUBLISH).isEmpty());
    assertTrue(
        filters(AccessRules.forRole(Role.MES, "mes"), Activity.PUBLISH_AND_SUBSCRIBE).isEmpty());
  }

  @Test
  void cameraPublishesFramesAndErrorsAndExchangesImages() {
    List<TopicRule> rules = AccessRules.forRole(Role.CAMERA, "cam-1");
    assertEquals(
        List.of(
            TopicRule.publish("edgedi/v1/+/+/frames/+"),
            TopicRule.publishAndSubscribe("edgedi/v1/+/+/images/+"),
            TopicRule.publish("edgedi/v1/+/errors/+")),
        rules);
  }

  @Test
  void adminMayDoEverything() {
    assertEquals(
        List.of(TopicRule.publishAndSubscribe("#")), AccessRules.forRole(Role.ADMIN, "ops"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"+", "#", "w1/+", "w1/w2", "", " w1", "$SYS", "w 1", "w1+"})
  void clientIdsThatWouldChangeATopicFilterAreRefusedForWorkers(String clientId) {
    assertFalse(AccessRules.isTopicSafeId(clientId));
    assertThrows(IllegalArgumentException.class, () -> AccessRules.forRole(Role.WORKER, clientId));
    assertThrows(IllegalArgumentException.class, () -> AccessRules.forRole(Role.PLANNER, clientId));
  }

  @ParameterizedTest
  @EnumSource(
      value = Role.class,
      names = {"CAMERA", "MES", "ADMIN"})
  void rolesWithoutClientIdInTopicsAcceptAnyClientId(Role role) {
    assertFalse(AccessRules.forRole(role, "a/+/#").isEmpty());
  }

  @Test
  void roleIdsRoundTrip() {
    for (Role role : Role.values()) {
      assertEquals(role, Role.fromId(role.id()));
    }
    assertEquals(Role.WORKER, Role.fromId(" Worker "));
    assertThrows(IllegalArgumentException.class, () -> Role.fromId("operator"));
  }

  private static List<String> filters(List<TopicRule> rules, Activity activity) {
    return rules.stream()
        .filter(r -> r.activity() == activity)
        .map(TopicRule::topicFilter)
        .toList();
  }
}
