package io.edgedi.cluster;

import io.edgedi.broker.access.Role;
import io.edgedi.broker.users.PasswordHasher;
import io.edgedi.broker.users.UserAccount;
import io.edgedi.broker.users.UsersFile;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fresh random credentials for one local cluster, one user per component (planner, camera, mes,
 * worker-1..N). The passwords are 128-bit random, so the hashes use PBKDF2's minimum iteration
 * count: stretching adds nothing to a password that cannot be guessed, and it keeps every connect
 * fast.
 */
public final class ClusterCredentials {
  private static final char[] ALPHABET =
      "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
  private final Map<String, char[]> passwords = new LinkedHashMap<>();
  private final List<UserAccount> accounts = new ArrayList<>();

  public ClusterCredentials(int workers) {
    PasswordHasher hasher = new PasswordHasher(PasswordHasher.MIN_ITERATIONS);
    SecureRandom rnd = new SecureRandom();
    add("planner", Role.PLANNER, hasher, rnd);
    add("camera", Role.CAMERA, hasher, rnd);
    add("mes", Role.MES, hasher, rnd);
    for (int i = 1; i <= workers; i++) {
      add(workerId(i), Role.WORKER, hasher, rnd);
    }
  }

  public static String workerId(int i) {
    return "worker-" + i;
  }

  private void add(String user, Role role, PasswordHasher hasher, SecureRandom rnd) {
    char[] pw = new char[22];
    for (int i = 0; i < pw.length; i++) {
      pw[i] = ALPHABET[rnd.nextInt(ALPHABET.length)];
    }
    passwords.put(user, pw);
    accounts.add(UserAccount.create(user, role, pw.clone(), hasher));
  }

  public UsersFile usersFile() {
    return UsersFile.of(accounts);
  }

  public char[] password(String user) {
    char[] pw = passwords.get(user);
    if (pw == null) {
      throw new IllegalArgumentException("no account " + user);
    }
    return pw.clone();
  }

  /** Every user's clear password, for a broker that hashes them itself (Mosquitto). */
  public Map<String, char[]> passwords() {
    Map<String, char[]> copy = new LinkedHashMap<>();
    passwords.forEach((user, pw) -> copy.put(user, pw.clone()));
    return copy;
  }
}
