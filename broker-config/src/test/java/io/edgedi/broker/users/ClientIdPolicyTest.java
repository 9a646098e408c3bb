package io.edgedi.broker.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.broker.access.Role;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientIdPolicyTest {

  private static final String HASH = new PasswordHasher(1_000).hash("pw".toCharArray());

  private static final UserAccount WORKER_1 = new UserAccount("worker-1", Role.WORKER, HASH);
  private static final UserAccount WORKER_2 = new UserAccount("worker-2", Role.WORKER, HASH);
  private static final UserAccount FLEET =
      new UserAccount("fleet", Role.WORKER, HASH, new ClientIdGlob("pi-*"));
  private static final UserAccount ANY =
      new UserAccount("any", Role.WORKER, HASH, new ClientIdGlob("*"));
  private static final UserAccount PLANNER = new UserAccount("planner", Role.PLANNER, HASH);
  private static final UserAccount PLANNER_B = new UserAccount("planner-b", Role.PLANNER, HASH);
  private static final UserAccount MES = new UserAccount("mes", Role.MES, HASH);
  private static final UserAccount ADMIN = new UserAccount("admin", Role.ADMIN, HASH);

  private static final ClientIdPolicy POLICY =
      new ClientIdPolicy(
          UsersFile.of(List.of(WORKER_1, WORKER_2, FLEET, ANY, PLANNER, PLANNER_B, MES, ADMIN)));

  @Test
  void workerIsBoundToItsOwnName() {
    assertAllowed(WORKER_1, "worker-1");
    assertRefused(
        WORKER_1,
        "worker-2",
        "client id 'worker-2' is not allowed for user 'worker-1' (role worker)");
    assertRefused(
        WORKER_1,
        "worker-3",
        "client id 'worker-3' is not allowed for user 'worker-1' (role worker)");
    assertRefused(WORKER_1, "worker-1-frames", "allowed 'worker-1'");
  }

  @Test
  void patternWidensTheIdsOfItsAccountOnly() {
    assertAllowed(FLEET, "pi-7");
    assertAllowed(FLEET, "fleet");
    assertRefused(FLEET, "worker-3", "allowed 'fleet' or clients=pi-*");
    assertAllowed(ANY, "pi-7");
    assertAllowed(ANY, "whatever-else");
  }

  @Test
  void noPatternReachesTheOwnIdsOfAnotherAccount() {
    assertRefused(ANY, "worker-1", "belongs to user 'worker-1'");
    assertRefused(ANY, "planner", "belongs to user 'planner'");
    assertRefused(ANY, "planner-frames", "belongs to user 'planner'");
    assertRefused(ANY, "fleet", "belongs to user 'fleet'");
  }

  @Test
  void plannerMayUseItsNameAndSuffixesOfIt() {
    assertAllowed(PLANNER, "planner");
    assertAllowed(PLANNER, "planner-frames");
    assertAllowed(PLANNER, "planner-1-frames");
    assertRefused(PLANNER, "planner-", "allowed 'planner' or 'planner-*'");
    assertRefused(PLANNER, "plannerx", "allowed 'planner' or 'planner-*'");
    assertRefused(PLANNER, "worker-1", "belongs to user 'worker-1'");
  }

  @Test
  void longerPlannerNameOwnsItsSuffixes() {
    assertEquals(Optional.of(PLANNER_B), POLICY.ownerOf("planner-b-frames"));
    assertRefused(PLANNER, "planner-b", "belongs to user 'planner-b'");
    assertRefused(PLANNER, "planner-b-frames", "belongs to user 'planner-b'");
    assertAllowed(PLANNER_B, "planner-b-frames");
  }

  @Test
  void otherRolesUseAnyIdThatNoWorkerOrPlannerOwns() {
    assertAllowed(MES, "mes-dashboard");
    assertAllowed(MES, "pi-7"); // ids reached only through a pattern are not reserved
    assertRefused(MES, "worker-1", "belongs to user 'worker-1' (role worker)");
    assertRefused(MES, "planner-frames", "belongs to user 'planner' (role planner)");
    assertRefused(ADMIN, "worker-2", "belongs to user 'worker-2'");
    assertFalse(POLICY.ownerOf("mes").isPresent(), "an MES name reserves nothing");
  }

  @Test
  void patternOnACameraIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new UserAccount("cam", Role.CAMERA, HASH, new ClientIdGlob("*")));
    assertTrue(e.getMessage().contains("worker and planner accounts only"), e.getMessage());
  }

  private static void assertAllowed(UserAccount account, String clientId) {
    assertEquals(Optional.empty(), POLICY.refusal(account, clientId), account + " as " + clientId);
  }

  private static void assertRefused(UserAccount account, String clientId, String because) {
    Optional<String> refusal = POLICY.refusal(account, clientId);
    assertTrue(refusal.isPresent(), account + " as " + clientId + " was allowed");
    assertTrue(refusal.get().contains(because), refusal.get());
  }
}
