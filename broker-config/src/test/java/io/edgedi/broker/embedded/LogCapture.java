package io.edgedi.broker.embedded;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.Arrays;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Collects the log lines of one logger (and its children) so a test can check what was logged. */
final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  LogCapture(String loggerName) {
    logger = (Logger) LoggerFactory.getLogger(loggerName);
    appender.start();
    logger.addAppender(appender);
  }

  /**
   * Waits up to five seconds for a line containing every one of {@code parts}; returns it or null.
   */
  String awaitLineContaining(String... parts) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    do {
      List<ILoggingEvent> events;
      synchronized (appender) {
        events = List.copyOf(appender.list);
      }
      for (ILoggingEvent event : events) {
        String line = event.getFormattedMessage();
        if (Arrays.stream(parts).allMatch(line::contains)) {
          return line;
        }
      }
      Thread.sleep(20);
    } while (System.nanoTime() < deadline);
    return null;
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
