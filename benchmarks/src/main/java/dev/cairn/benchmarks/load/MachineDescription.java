package dev.cairn.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** What the results were measured on, read from /proc and the tools themselves (Linux). */
final class MachineDescription {
    private MachineDescription() {}

    static String describe() {
        return String.join(
                "\n",
                "- CPU: " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores available",
                "- RAM: " + memTotalGiB() + " GiB",
                "- Kernel: Linux " + firstLine(Path.of("/proc/sys/kernel/osrelease")),
                "- JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                "- Mosquitto: " + mosquittoVersion(),
                "- Load average when the run started (1, 5, 15 min): " + loadAverage());
    }

    static String loadAverage() {
        String[] fields = firstLine(Path.of("/proc/loadavg")).split(" ");
        return fields.length >= 3 ? fields[0] + ", " + fields[1] + ", " + fields[2] : "unknown";
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // Fall through to "unknown".
        }
        return "unknown";
    }

    private static String memTotalGiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(java.util.Locale.ROOT, "%.1f", kib / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Fall through to "unknown".
        }
        return "unknown";
    }

    private static String mosquittoVersion() {
        try {
            Process process = new ProcessBuilder(BrokerUnderTest.MOSQUITTO.toString(), "-h")
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(5, TimeUnit.SECONDS);
            for (String line : output.split("\n")) {
                if (line.contains("version")) {
                    return line.trim();
                }
            }
        } catch (IOException e) {
            return "not installed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }

    private static String firstLine(Path path) {
        try {
            return Files.readAllLines(path, StandardCharsets.UTF_8).get(0).trim();
        } catch (IOException | IndexOutOfBoundsException e) {
            return "unknown";
        }
    }
}
