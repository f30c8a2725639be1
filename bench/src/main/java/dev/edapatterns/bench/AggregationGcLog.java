package dev.edapatterns.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stop-the-world pauses of one child JVM from its {@code -Xlog:gc:file=...:time} log (see
 * {@link AggregationBenchmark#gcLogOption}): each line {@code [<wall time>] GC(n) Pause ... 12.345ms} is logged when
 * the pause ends, so the pause covers {@code [time - duration, time]}.
 */
final class AggregationGcLog {

    private static final Pattern LINE = Pattern.compile("^\\[([^\\]]+)\\].*\\bPause\\b.*?([0-9]+(?:\\.[0-9]+)?)ms\\s*$");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    /** A pause as wall-clock microseconds [start, end]. */
    record Pause(long startMicros, long endMicros) {
        double ms() {
            return (endMicros - startMicros) / 1000.0;
        }
    }

    private final List<Pause> pauses = new ArrayList<>();

    private AggregationGcLog() {
    }

    static AggregationGcLog read(Path file) {
        AggregationGcLog log = new AggregationGcLog();
        if (!Files.exists(file)) {
            return log;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                Matcher m = LINE.matcher(line);
                if (m.matches()) {
                    try {
                        OffsetDateTime t = OffsetDateTime.parse(m.group(1), TIME);
                        long end = t.toEpochSecond() * 1_000_000L + t.getNano() / 1_000;
                        long start = end - Math.round(Double.parseDouble(m.group(2)) * 1000);
                        log.pauses.add(new Pause(start, end));
                    } catch (RuntimeException e) {
                        // a line of another format: not a pause we can place in time
                    }
                }
            }
        } catch (IOException e) {
            // no log: no pauses known
        }
        return log;
    }

    /** Milliseconds of pause inside [fromMicros, toMicros]. */
    double pausedMs(long fromMicros, long toMicros) {
        long sum = 0;
        for (Pause p : pauses) {
            long a = Math.max(p.startMicros(), fromMicros);
            long b = Math.min(p.endMicros(), toMicros);
            if (b > a) {
                sum += b - a;
            }
        }
        return sum / 1000.0;
    }

    /** Pauses that overlap [fromMicros, toMicros]. */
    List<Pause> pauses(long fromMicros, long toMicros) {
        return pauses.stream().filter(p -> p.endMicros() > fromMicros && p.startMicros() < toMicros).toList();
    }
}
