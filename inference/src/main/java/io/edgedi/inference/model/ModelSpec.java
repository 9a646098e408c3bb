package io.edgedi.inference.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A whole model as data: the node graph of the convolutional trunk plus a classifier head (global
 * average pooling of the last node, then a dense layer to {@code classNames.size()}). Immutable;
 * derived facts (shapes, consumers, cut points) are computed once at construction.
 *
 * <p>The planner reasons about FLOPs, halos and stages from this alone; the weight file carries it,
 * so a pruned model (other channel counts) loads without extra flags.
 */
public final class ModelSpec {
  private final String name;
  private final int inputHeight;
  private final int inputWidth;
  private final List<String> classNames;
  private final List<Node> nodes;
  private final List<TensorShape> shapes;
  private final List<List<Integer>> consumers;

  @JsonCreator
  public ModelSpec(
      @JsonProperty("name") String name,
      @JsonProperty("inputHeight") int inputHeight,
      @JsonProperty("inputWidth") int inputWidth,
      @JsonProperty("classNames") List<String> classNames,
      @JsonProperty("nodes") List<Node> nodes) {
    this.name = name;
    this.inputHeight = inputHeight;
    this.inputWidth = inputWidth;
    this.classNames = List.copyOf(classNames);
    this.nodes = List.copyOf(nodes);
    if (this.nodes.isEmpty() || !(this.nodes.get(0).op() instanceof Op.Input)) {
      throw new IllegalArgumentException(name + ": node 0 must be the input");
    }
    this.shapes = computeShapes();
    this.consumers = computeConsumers();
  }

  private List<TensorShape> computeShapes() {
    List<TensorShape> out = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      if (n.id() != i) {
        throw new IllegalArgumentException(
            name + ": node " + n.name() + " has id " + n.id() + " at " + i);
      }
      if (n.op() instanceof Op.Input in) {
        if (i != 0) {
          throw new IllegalArgumentException(name + ": input must be node 0 only");
        }
        out.add(new TensorShape(inputHeight, inputWidth, in.channels()));
        continue;
      }
      int arity = n.op() instanceof Op.Add ? 2 : 1;
      boolean sourced = n.op() instanceof Op.ChannelAttention && n.inputs().size() == 2;
      if (n.inputs().size() != arity && !sourced) {
        throw new IllegalArgumentException(
            name
                + ": node "
                + n.name()
                + " needs "
                + arity
                + " inputs"
                + (n.op() instanceof Op.ChannelAttention ? " (or 2: x and a gate source)" : ""));
      }
      TensorShape first = out.get(n.inputs().get(0));
      if (n.op() instanceof Op.Conv c && c.inChannels() != first.channels()) {
        throw new IllegalArgumentException(
            name
                + ": node "
                + n.name()
                + " expects "
                + c.inChannels()
                + " channels, gets "
                + first.channels());
      }
      if (n.op() instanceof Op.ChannelAttention a && a.channels() != first.channels()) {
        throw new IllegalArgumentException(
            name + ": node " + n.name() + " attention width mismatch");
      }
      if (n.op() instanceof Op.Add && !first.equals(out.get(n.inputs().get(1)))) {
        throw new IllegalArgumentException(
            name + ": node " + n.name() + " adds " + first + " and " + out.get(n.inputs().get(1)));
      }
      TensorShape s =
          new TensorShape(
              n.op().outSize(first.height()),
              n.op().outSize(first.width()),
              n.op().outChannels(first.channels()));
      if (s.height() < 1 || s.width() < 1) {
        throw new IllegalArgumentException(
            name + ": node " + n.name() + " shrinks the map to nothing");
      }
      out.add(s);
    }
    return Collections.unmodifiableList(out);
  }

  private List<List<Integer>> computeConsumers() {
    List<List<Integer>> out = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      out.add(new ArrayList<>());
    }
    for (Node n : nodes) {
      for (int in : n.inputs()) {
        out.get(in).add(n.id());
      }
    }
    List<List<Integer>> frozen = new ArrayList<>();
    for (List<Integer> l : out) {
      frozen.add(List.copyOf(l));
    }
    return Collections.unmodifiableList(frozen);
  }

  @JsonProperty
  public String name() {
    return name;
  }

  @JsonProperty
  public int inputHeight() {
    return inputHeight;
  }

  @JsonProperty
  public int inputWidth() {
    return inputWidth;
  }

  @JsonProperty
  public List<String> classNames() {
    return classNames;
  }

  @JsonProperty
  public List<Node> nodes() {
    return nodes;
  }

  public Node node(int id) {
    return nodes.get(id);
  }

  public int size() {
    return nodes.size();
  }

  /** Index of the last trunk node; the head reads its output. */
  public int lastNode() {
    return nodes.size() - 1;
  }

  public TensorShape shape(int node) {
    return shapes.get(node);
  }

  /** Nodes that read {@code node}'s output. The head counts as a reader of the last node. */
  public List<Integer> consumers(int node) {
    return consumers.get(node);
  }

  /**
   * The node whose whole-map mean drives channel attention {@code attention}'s gate: its second
   * input (a partition-aware "scarp" block's source), else its own input.
   */
  public int gateSource(int attention) {
    Node n = nodes.get(attention);
    if (!(n.op() instanceof Op.ChannelAttention)) {
      throw new IllegalArgumentException(
          name + ": node " + n.name() + " is not a channel attention");
    }
    return n.inputs().get(n.inputs().size() - 1);
  }

  /**
   * The inputs whose rows {@code node} reads: all of them, except an attention's separate gate
   * source, of which it needs only the whole-map sums (a reduce step), no rows.
   */
  public List<Integer> rowInputs(int node) {
    Node n = nodes.get(node);
    if (n.op() instanceof Op.ChannelAttention) {
      return n.inputs().subList(0, 1);
    }
    return n.inputs();
  }

  /**
   * True if the map between nodes {@code boundary-1} and {@code boundary} is the only live tensor
   * there, so a fused stage may end (and the next begin) at this boundary.
   */
  public boolean isCut(int boundary) {
    if (boundary < 1 || boundary > nodes.size()) {
      return false;
    }
    for (int n = 0; n < boundary - 1; n++) {
      for (int c : consumers.get(n)) {
        if (c >= boundary) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Nodes whose outputs are still needed at {@code boundary} (computed before it, read at or after
   * it); the last node counts as read by the head.
   */
  public List<Integer> liveAt(int boundary) {
    List<Integer> out = new ArrayList<>();
    for (int n = 0; n < Math.min(boundary, nodes.size()); n++) {
      boolean live = n == lastNode() && boundary == nodes.size();
      for (int c : consumers.get(n)) {
        live |= c >= boundary;
      }
      if (live) {
        out.add(n);
      }
    }
    return out;
  }

  /** All boundaries where a stage may end, in order; always includes 1 and size(). */
  @JsonIgnore
  public List<Integer> cutPoints() {
    List<Integer> out = new ArrayList<>();
    for (int b = 1; b <= nodes.size(); b++) {
      if (isCut(b)) {
        out.add(b);
      }
    }
    return out;
  }

  @JsonIgnore
  public int classes() {
    return classNames.size();
  }

  @JsonIgnore
  public TensorShape inputShape() {
    return shapes.get(0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelSpec m
        && m.name.equals(name)
        && m.inputHeight == inputHeight
        && m.inputWidth == inputWidth
        && m.classNames.equals(classNames)
        && m.nodes.equals(nodes);
  }

  @Override
  public int hashCode() {
    return nodes.hashCode() * 31 + name.hashCode();
  }

  @Override
  public String toString() {
    return name + "[" + inputHeight + "x" + inputWidth + ", " + nodes.size() + " nodes]";
  }
}
