package dev.edapatterns.billing;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import org.jboss.logmanager.ExtLogRecord;

/**
 * Every log line the app writes while this is open (every logger and thread, INFO and up as configured), with the
 * messages of its exception chain: for "this never appears in a log line" assertions.
 */
public final class LogLines extends Handler implements AutoCloseable {

    private final Queue<String> lines = new ConcurrentLinkedQueue<>();

    private LogLines() {
    }

    public static LogLines capture() {
        LogLines lines = new LogLines();
        Logger.getLogger("").addHandler(lines);
        return lines;
    }

    /** The lines that contain {@code text}. */
    public List<String> containing(String text) {
        return lines.stream().filter(l -> l.contains(text)).toList();
    }

    /** The lines in which {@code pattern} is found. */
    public List<String> matching(Pattern pattern) {
        return lines.stream().filter(l -> pattern.matcher(l).find()).toList();
    }

    public int size() {
        return lines.size();
    }

    @Override
    public void publish(LogRecord record) {
        StringBuilder line = new StringBuilder(record.getLoggerName()).append(' ')
                .append(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            line.append(" | ").append(t);
        }
        lines.add(line.toString());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
