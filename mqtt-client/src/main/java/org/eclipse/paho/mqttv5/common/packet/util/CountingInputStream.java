package org.eclipse.paho.mqttv5.common.packet.util;

import java.io.IOException;
import java.io.InputStream;

/**
 * Replaces Paho's class of the same name (same constructor and methods), which only overrides
 * {@code read()}: {@code DataInputStream.readFully} on it fell back to one virtual call (and one
 * synchronized {@code ByteArrayInputStream.read()}) per byte of every received payload. Bulk reads
 * are passed through here and counted the same way.
 */
public class CountingInputStream extends InputStream {
  private final InputStream in;
  private int counter;

  public CountingInputStream(InputStream in) {
    this.in = in;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b != -1) {
      counter++;
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = in.read(buffer, offset, length);
    if (n > 0) {
      counter += n;
    }
    return n;
  }

  /** Bytes read so far (since the last reset). */
  public int getCounter() {
    return counter;
  }

  public void resetCounter() {
    counter = 0;
  }
}
