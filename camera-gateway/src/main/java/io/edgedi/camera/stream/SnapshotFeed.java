package io.edgedi.camera.stream;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.imageio.ImageIO;

/**
 * A camera that only answers "give me the current picture": one HTTP GET per picture (the snapshot
 * URL most IP cameras offer beside their streams), polled at a fixed interval. A failed request or
 * an undecodable answer fails the feed, so the source reconnects with backoff as for a dropped
 * stream.
 */
final class SnapshotFeed implements VideoFeed {
  private final HttpClient client;
  private final HttpRequest request;
  private final long intervalNanos;
  private final int maxBytes;
  private long nextAt = System.nanoTime();

  private SnapshotFeed(HttpClient client, URI uri, Duration interval, int maxBytes) {
    this.client = client;
    this.request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
    this.intervalNanos = interval.toNanos();
    this.maxBytes = maxBytes;
  }

  static SnapshotFeed open(HttpClient client, String url, Duration interval, int maxBytes) {
    return new SnapshotFeed(client, URI.create(url), interval, maxBytes);
  }

  @Override
  public Picture next() throws IOException {
    long wait = nextAt - System.nanoTime();
    if (wait > 0) {
      try {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    nextAt = Math.max(nextAt + intervalNanos, System.nanoTime());
    long askedAt = System.currentTimeMillis() * 1000;
    HttpResponse<byte[]> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    if (response.statusCode() != 200) {
      throw new IOException("snapshot answered HTTP " + response.statusCode());
    }
    byte[] body = response.body();
    if (body.length > maxBytes) {
      throw new IOException(
          "snapshot of " + body.length + " bytes is over the limit of " + maxBytes);
    }
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(body));
    if (image == null) {
      throw new IOException(
          "snapshot is not an image this JVM can decode (" + body.length + " bytes)");
    }
    // The camera gives no capture time with a snapshot: the moment it was asked for is the closest.
    return new Picture(image, askedAt);
  }

  @Override
  public void close() {
    // Each request is independent; the shared client keeps no state worth releasing per feed.
  }
}
