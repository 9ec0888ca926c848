package dev.cairn.storage.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small file system of its own for full-disk tests, mounted under a fresh temporary directory:
 * tmpfs with {@code size=}, or ext4 on a loop-mounted image file (which, like a real disk,
 * allocates blocks lazily and journals its metadata). Needs root and a kernel that lets this
 * process mount; where it cannot, {@link #mount} skips the test with an Assumptions message that
 * says why. {@link #close} unmounts and deletes everything it made; use it in try-with-resources
 * so no mount outlives the test.
 */
public final class SmallFileSystem implements AutoCloseable {
    /** The two kinds of file system. */
    public enum Kind {
        TMPFS,
        EXT4
    }

    private final Kind kind;
    private final Path base;
    private final Path root;
    private final Path image;
    private final List<Path> fillers = new ArrayList<>();

    private SmallFileSystem(Kind kind, Path base, Path root, Path image) {
        this.kind = kind;
        this.base = base;
        this.root = root;
        this.image = image;
    }

    /** Mounts a file system of {@code sizeBytes}, or skips the test when this machine cannot. */
    public static SmallFileSystem mount(Kind kind, long sizeBytes) {
        Path base;
        try {
            base = Files.createTempDirectory("cairn-smallfs-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory to mount on", e);
        }
        Path root = base.resolve("mnt");
        Path image = kind == Kind.EXT4 ? base.resolve("fs.img") : null;
        try {
            Files.createDirectories(root);
            String failure;
            if (kind == Kind.TMPFS) {
                failure = run("mount", "-t", "tmpfs", "-o", "size=" + sizeBytes, "tmpfs", root.toString());
            } else {
                try (FileChannel channel =
                        FileChannel.open(image, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    channel.truncate(0);
                    channel.write(ByteBuffer.allocate(1), sizeBytes - 1);
                }
                // -m 0: no blocks reserved for root, so the free space a statvfs reports is all there is.
                failure = run("mkfs.ext4", "-q", "-F", "-m", "0", image.toString());
                if (failure == null) {
                    failure = run("mount", "-o", "loop", image.toString(), root.toString());
                }
            }
            if (failure != null) {
                deleteQuietly(base, image, root);
                Assumptions.abort("cannot mount a " + kind + " file system here (needs root and a kernel that lets"
                        + " this process mount): " + failure);
            }
        } catch (IOException e) {
            deleteQuietly(base, image, root);
            Assumptions.abort("cannot mount a " + kind + " file system here: " + e);
        }
        return new SmallFileSystem(kind, base, root, image);
    }

    public Kind kind() {
        return kind;
    }

    /** The mounted file system's root directory. */
    public Path root() {
        return root;
    }

    /** Bytes free for this process ({@code statvfs}'s available blocks). */
    public long usableBytes() {
        return root.toFile().getUsableSpace();
    }

    /**
     * Writes a filler file of zeros, 64 KiB at a time, until the file system has at most
     * {@code leaveFreeBytes} free or is full (the write that fails with ENOSPC ends it). Returns it.
     */
    public Path fill(long leaveFreeBytes) {
        Path filler = root.resolve("filler-" + fillers.size());
        fillers.add(filler);
        ByteBuffer block = ByteBuffer.allocateDirect(64 * 1024);
        try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (usableBytes() > leaveFreeBytes) {
                block.clear();
                if (usableBytes() - leaveFreeBytes < block.capacity()) {
                    block.limit((int) Math.max(4096, usableBytes() - leaveFreeBytes));
                }
                try {
                    while (block.hasRemaining()) {
                        channel.write(block);
                    }
                } catch (IOException e) {
                    if (isNoSpace(e)) {
                        break;
                    }
                    throw e;
                }
            }
            channel.force(true);
        } catch (IOException e) {
            if (!isNoSpace(e)) {
                throw new UncheckedIOException("cannot write the filler file " + filler, e);
            }
        }
        return filler;
    }

    /** Fills the file system until a write fails with ENOSPC. */
    public Path fillCompletely() {
        return fill(-1);
    }

    private static boolean isNoSpace(IOException e) {
        return String.valueOf(e.getMessage()).contains("No space left on device");
    }

    /** Unmounts (lazily if something still holds it) and deletes the mount point and image. */
    @Override
    public void close() {
        String failure = run("umount", root.toString());
        if (failure != null) {
            String lazy = run("umount", "-l", root.toString());
            if (lazy != null) {
                throw new IllegalStateException("cannot unmount " + root + ": " + failure + "; lazily: " + lazy);
            }
        }
        deleteQuietly(base, image, root);
    }

    private static void deleteQuietly(Path base, Path image, Path root) {
        try {
            if (image != null) {
                Files.deleteIfExists(image);
            }
            Files.deleteIfExists(root);
            Files.deleteIfExists(base);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the test file system's files under " + base, e);
        }
    }

    /** Runs a command; returns null when it exited 0, else what it printed and its status. */
    private static String run(String... command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return String.join(" ", command) + " did not finish within 60 s";
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.exitValue() == 0
                    ? null
                    : String.join(" ", command) + " exited " + process.exitValue() + ": " + output;
        } catch (IOException e) {
            return String.join(" ", command) + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return String.join(" ", command) + ": interrupted";
        }
    }
}
