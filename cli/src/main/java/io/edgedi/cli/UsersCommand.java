package io.edgedi.cli;

import io.edgedi.broker.access.Role;
import io.edgedi.broker.mosquitto.MosquittoAcl;
import io.edgedi.broker.mosquitto.MosquittoConf;
import io.edgedi.broker.users.ClientIdGlob;
import io.edgedi.broker.users.PasswordHasher;
import io.edgedi.broker.users.UserAccount;
import io.edgedi.broker.users.UsersFile;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Adds or replaces a broker user (the password is read from standard input, never an argument), or
 * writes the Mosquitto ACL and configuration for the users of a users file.
 */
@Command(
    name = "users",
    mixinStandardHelpOptions = true,
    description =
        "Add or replace a broker user (password read from standard input), or with --mosquitto write "
            + "a Mosquitto 2 ACL and mosquitto.conf giving every user of --file its role's rights.")
final class UsersCommand implements Callable<Integer> {
  @Option(names = "--file", required = true, description = "Users file to create or update.")
  Path file;

  @Option(
      names = "--name",
      description =
          "User name. A worker must connect with it as MQTT client id (its worker id), a planner with it "
              + "or <name>-<suffix>.")
  String name;

  @Option(names = "--role", description = "camera, planner, worker, mes or admin.")
  String role;

  @Option(
      names = "--clients",
      paramLabel = "GLOB",
      description =
          "Workers and planners only: further MQTT client ids this account may use, '*' = any characters "
              + "(e.g. 'pi-*'; '*' = any id, so the account is no longer bound to one worker). Never the id of "
              + "another worker or planner account. Default: only its own name.")
  String clients;

  @Option(names = "--remove", description = "Remove the user instead.")
  boolean remove;

  @Option(
      names = "--mosquitto",
      paramLabel = "DIR",
      description =
          "Write DIR/acl and DIR/mosquitto.conf for Eclipse Mosquitto 2 from the users in --file "
              + "(passwords go into DIR/passwd with mosquitto_passwd; see docs/mosquitto.md).")
  Path mosquittoDir;

  @Option(
      names = "--mosquitto-port",
      defaultValue = "1883",
      description = "Listener port in mosquitto.conf.")
  int mosquittoPort;

  @Option(
      names = "--mosquitto-bind",
      defaultValue = "0.0.0.0",
      description = "Listener address in mosquitto.conf.")
  String mosquittoBind;

  @Override
  public Integer call() throws Exception {
    if (mosquittoDir != null) {
      return writeMosquitto(UsersFile.load(file));
    }
    if (name == null || role == null) {
      throw new IllegalArgumentException("--name and --role are required (or --mosquitto DIR)");
    }
    UsersFile users = Files.exists(file) ? UsersFile.load(file) : UsersFile.empty();
    if (remove) {
      users.without(name).writeTo(file);
      System.err.println("removed " + name + " from " + file);
      return 0;
    }
    // checked before the password is read and hashed: a bad pattern fails at once
    Role parsedRole = Role.fromId(role);
    ClientIdGlob glob = clients == null ? null : new ClientIdGlob(clients);
    UserAccount.checkClientsFitRole(parsedRole, glob);
    System.err.println("password for " + name + " (one line on standard input):");
    String line =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    if (line == null || line.isBlank()) {
      throw new IllegalArgumentException("no password given on standard input");
    }
    UserAccount account =
        UserAccount.create(name, parsedRole, line.strip().toCharArray(), new PasswordHasher())
            .withClients(glob);
    users.with(account).writeTo(file);
    System.err.println(
        "wrote " + name + " (" + role + (glob == null ? "" : ", " + glob) + ") to " + file);
    return 0;
  }

  private int writeMosquitto(UsersFile users) throws Exception {
    Files.createDirectories(mosquittoDir);
    Path acl = mosquittoDir.resolve("acl");
    Path conf = mosquittoDir.resolve("mosquitto.conf");
    Path passwd = mosquittoDir.resolve("passwd");
    Files.writeString(acl, MosquittoAcl.render(users));
    Files.writeString(
        conf, new MosquittoConf(mosquittoBind, mosquittoPort, passwd, acl, null).render());
    System.err.println("wrote " + acl + " (" + users.accounts().size() + " users) and " + conf);
    System.err.println("now give every user a password: mosquitto_passwd [-c] " + passwd + " NAME");
    return 0;
  }
}
