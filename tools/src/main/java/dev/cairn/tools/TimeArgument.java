package dev.cairn.tools;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/**
 * Parses a point in time given as epoch milliseconds or ISO-8601 ({@code 2026-11-25T10:15:00Z},
 * with an offset, or without one meaning UTC, or a bare date meaning its UTC midnight) to epoch
 * milliseconds.
 */
public final class TimeArgument implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        return parse(value);
    }

    public static long parse(String value) {
        String text = value.trim();
        if (text.matches("-?\\d+")) {
            return Long.parseLong(text);
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException notInstant) {
            try {
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } catch (DateTimeParseException notOffset) {
                try {
                    return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
                } catch (DateTimeParseException notLocal) {
                    try {
                        return LocalDate.parse(text)
                                .atStartOfDay()
                                .toInstant(ZoneOffset.UTC)
                                .toEpochMilli();
                    } catch (DateTimeParseException notDate) {
                        throw new CommandLine.TypeConversionException("'" + value
                                + "' is neither epoch milliseconds nor an ISO-8601 time such as 2026-11-25T10:15:00Z");
                    }
                }
            }
        }
    }
}
