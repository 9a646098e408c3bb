package io.edgedi.broker.embedded;

import io.edgedi.broker.access.Role;
import io.edgedi.broker.users.PasswordHasher;
import io.edgedi.broker.users.UserAccount;
import io.edgedi.broker.users.UsersFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * An embedded broker on a free port that reads its users from a file, as deployed, with an account
 * of every role: planners planner and planner-1 (planner-pw), camera-1 (camera-pw), workers w1 and
 * w2 (w1-pw, w2-pw), mes-1 (mes-pw) and admin-1 (admin-pw).
 */
final class UsersFileBrokerFixture {
  private UsersFileBrokerFixture() {}

  static EmbeddedBroker start(Path folder) throws IOException {
    // a low iteration count keeps the many logins of these tests fast; it is stored in each hash
    PasswordHasher fast = new PasswordHasher(10_000);
    Path usersFile = folder.resolve("users.txt");
    UsersFile.write(
        usersFile,
        List.of(
            UserAccount.create("planner", Role.PLANNER, "planner-pw".toCharArray(), fast),
            UserAccount.create("planner-1", Role.PLANNER, "planner-pw".toCharArray(), fast),
            UserAccount.create("camera-1", Role.CAMERA, "camera-pw".toCharArray(), fast),
            UserAccount.create("w1", Role.WORKER, "w1-pw".toCharArray(), fast),
            UserAccount.create("w2", Role.WORKER, "w2-pw".toCharArray(), fast),
            UserAccount.create("mes-1", Role.MES, "mes-pw".toCharArray(), fast),
            UserAccount.create("admin-1", Role.ADMIN, "admin-pw".toCharArray(), fast)));
    return EmbeddedBroker.builder().port(0).usersFile(usersFile).start();
  }
}
