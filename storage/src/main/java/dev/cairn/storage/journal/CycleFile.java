package dev.cairn.storage.journal;

import java.nio.file.Path;

/**
 * One journal cycle file on disk.
 *
 * @param cycle the roll cycle number (time since the epoch divided by the cycle length)
 * @param startPosition the lowest position a record in this cycle can have; every record of the
 *     cycle has a position at or above it and below the next cycle's start
 * @param file the file
 * @param sizeBytes its apparent size (Chronicle pre-grows cycle files sparsely, so the blocks
 *     actually allocated may be fewer)
 */
public record CycleFile(int cycle, long startPosition, Path file, long sizeBytes) {}
