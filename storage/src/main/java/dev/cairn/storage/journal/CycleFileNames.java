package dev.cairn.storage.journal;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Maps Chronicle cycle file names ({@code <date pattern>.cq4}, UTC, epoch 0) to cycle numbers,
 * without touching Chronicle: the roll cycle's pattern and length are passed in.
 */
final class CycleFileNames {
    static final String SUFFIX = ".cq4";

    private final DateTimeFormatter formatter;
    private final long lengthMillis;

    CycleFileNames(String pattern, long lengthMillis) {
        this.formatter = new DateTimeFormatterBuilder()
                .appendPattern(pattern)
                .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
                .parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
                .toFormatter();
        this.lengthMillis = lengthMillis;
    }

    /** The cycle a file name stands for, or -1 if it is not a cycle file of this roll cycle. */
    int cycleOf(String fileName) {
        if (!fileName.endsWith(SUFFIX)) {
            return -1;
        }
        String stem = fileName.substring(0, fileName.length() - SUFFIX.length());
        try {
            long millis = LocalDateTime.parse(stem, formatter)
                    .toInstant(ZoneOffset.UTC)
                    .toEpochMilli();
            return (int) Math.floorDiv(millis, lengthMillis);
        } catch (DateTimeParseException e) {
            return -1;
        }
    }
}
