package io.edgedi.cli;

import io.edgedi.broker.access.Role;
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

/** Adds or replaces a broker user; the password is read from standard input, never an argument. */
@Command(name = "users", mixinStandardHelpOptions = true,
    description = "Add or replace a broker user (password read from standard input).")
final class UsersCommand implements Callable<Integer> {
  @Option(names = "--file", required = true, description = "Users file to create or update.")
  Path file;

  @Option(names = "--name", required = true,
      description = "User name. A worker must connect with it as MQTT client id (its worker id), a planner with it "
          + "or <name>-<suffix>.")
  String name;

  @Option(names = "--role", required = true, description = "camera, planner, worker, mes or admin.")
  String role;

  @Option(names = "--clients", paramLabel = "GLOB",
      description = "Workers and planners only: further MQTT client ids this account may use, '*' = any characters "
          + "(e.g. 'pi-*'; '*' = any id, so the account is no longer bound to one worker). Never the id of "
          + "another worker or planner account. Default: only its own name.")
  String clients;

  @Option(names = "--remove", description = "Remove the user instead.")
  boolean remove;

  @Override
  public Integer call() throws Exception {
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
    String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    if (line == null || line.isBlank()) {
      throw new IllegalArgumentException("no password given on standard input");
    }
    UserAccount account = UserAccount.create(name, parsedRole, line.strip().toCharArray(), new PasswordHasher())
        .withClients(glob);
    users.with(account).writeTo(file);
    System.err.println("wrote " + name + " (" + role + (glob == null ? "" : ", " + glob) + ") to " + file);
    return 0;
  }
}
