package io.edgedi.cli;

import io.edgedi.broker.access.Role;
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

  @Option(names = "--name", required = true, description = "User name (for workers and planners: also the client id).")
  String name;

  @Option(names = "--role", required = true, description = "camera, planner, worker, mes or admin.")
  String role;

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
    System.err.println("password for " + name + " (one line on standard input):");
    String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    if (line == null || line.isBlank()) {
      throw new IllegalArgumentException("no password given on standard input");
    }
    UserAccount account = UserAccount.create(name, Role.fromId(role), line.strip().toCharArray(), new PasswordHasher());
    users.with(account).writeTo(file);
    System.err.println("wrote " + name + " (" + role + ") to " + file);
    return 0;
  }
}
