package io.edgedi.transport;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The topic tree, ISA-95 style: {@code edgedi/v1/{site}/...}. One place builds every topic so that
 * publishers, subscribers and the broker's permissions cannot drift apart.
 */
public final class Topics {
  public static final String ROOT = "edgedi/v1";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private final String site;

  public Topics(String site) {
    this.site = requireId("site", site);
  }

  /** Ids become topic levels: no wildcards, separators or empty names. */
  public static String requireId(String what, String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          what
              + " id '"
              + id
              + "' must be 1-64 letters, digits, '.', '_' or '-' and start with a letter or digit");
    }
    return id;
  }

  public String site() {
    return site;
  }

  public String frames(String line, String camera) {
    return base() + "/" + requireId("line", line) + "/frames/" + requireId("camera", camera);
  }

  /**
   * Encoded images (JPEG, PNG, BMP) a smart camera publishes itself, for the gateway to make frames
   * of.
   */
  public String images(String line, String camera) {
    return base() + "/" + requireId("line", line) + "/images/" + requireId("camera", camera);
  }

  /** Every frame of every line and camera of this site. */
  public String allFrames() {
    return base() + "/+/frames/+";
  }

  public String telemetry(String worker) {
    return base() + "/workers/" + requireId("worker", worker) + "/telemetry";
  }

  public String allTelemetry() {
    return base() + "/workers/+/telemetry";
  }

  /** Frame tasks from planners to one worker. */
  public String tasks(String worker) {
    return base() + "/workers/" + requireId("worker", worker) + "/tasks";
  }

  /**
   * Halo rows and attention sums from worker {@code sender} to worker {@code receiver}. The broker
   * lets a worker publish here only with its own id as {@code sender}, so the topic, not the
   * payload, tells the receiver who sent a message.
   */
  public String peer(String receiver, String sender) {
    return base()
        + "/workers/"
        + requireId("worker", receiver)
        + "/peer/"
        + requireId("worker", sender);
  }

  /** Every peer message to {@code receiver}. */
  public String peersOf(String receiver) {
    return base() + "/workers/" + requireId("worker", receiver) + "/peer/+";
  }

  /** The sender of a peer topic addressed to {@code receiver}, or null if the topic is not one. */
  public @Nullable String senderOfPeer(String receiver, String topic) {
    String prefix = base() + "/workers/" + receiver + "/peer/";
    if (!topic.startsWith(prefix)) {
      return null;
    }
    String id = topic.substring(prefix.length());
    return ID.matcher(id).matches() ? id : null;
  }

  public String partials(String planner) {
    return base() + "/planners/" + requireId("planner", planner) + "/partials";
  }

  public String plans() {
    return base() + "/plans";
  }

  /** Which of the site's planners is active: retained, renewed by the holder (PlannerLease). */
  public String plannerLease() {
    return base() + "/planners/lease";
  }

  public String classifications(String line, String camera) {
    return base()
        + "/"
        + requireId("line", line)
        + "/classifications/"
        + requireId("camera", camera);
  }

  public String classificationsJson(String line, String camera) {
    return base()
        + "/"
        + requireId("line", line)
        + "/classifications-json/"
        + requireId("camera", camera);
  }

  public String allClassifications() {
    return base() + "/+/classifications/+";
  }

  public String allClassificationsJson() {
    return base() + "/+/classifications-json/+";
  }

  public String errors(String component) {
    return base() + "/errors/" + requireId("component", component);
  }

  public String allErrors() {
    return base() + "/errors/+";
  }

  /** The worker id in a telemetry topic, or null if the topic is not one. */
  public @Nullable String workerOfTelemetry(String topic) {
    String prefix = base() + "/workers/";
    if (!topic.startsWith(prefix) || !topic.endsWith("/telemetry")) {
      return null;
    }
    String id = topic.substring(prefix.length(), topic.length() - "/telemetry".length());
    return ID.matcher(id).matches() ? id : null;
  }

  /** {@code [line, camera]} of a frames topic, or null. */
  public String @Nullable [] lineAndCameraOfFrames(String topic) {
    String[] p = topic.split("/");
    if (p.length != 6 || !topic.startsWith(base() + "/") || !p[4].equals("frames")) {
      return null;
    }
    return new String[] {p[3], p[5]};
  }

  private String base() {
    return ROOT + "/" + site;
  }
}
