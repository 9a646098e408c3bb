package io.edgedi.inference.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TfRuntimeTest {
  @Test
  void oneThreadRunsOpsOnTheCallersThreadMoreUseTfsPool() {
    assertEquals(-1, TfRuntime.sessionConfig(1).getInterOpParallelismThreads());
    assertEquals(1, TfRuntime.sessionConfig(1).getIntraOpParallelismThreads());
    assertEquals(1, TfRuntime.sessionConfig(4).getInterOpParallelismThreads());
    assertEquals(4, TfRuntime.sessionConfig(4).getIntraOpParallelismThreads());
  }
}
