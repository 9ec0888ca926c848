package dev.cairn.broker.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * Cairn's version: the Maven project version, which the build writes into
 * {@code version.properties} beside this class (resource filtering), so it is the same from the
 * shaded jar and from a test classpath. What {@code --version} prints.
 */
public final class CairnVersion implements IVersionProvider {
    private static final String RESOURCE = "version.properties";

    /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String get() {
        Properties props = new Properties();
        try (InputStream in = CairnVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath: build with Maven");
            }
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        String version = props.getProperty("version", "");
        if (version.isEmpty() || version.contains("${")) {
            throw new IllegalStateException(RESOURCE + " holds no version ('" + version + "'): build with Maven");
        }
        return version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"Cairn " + get()};
    }
}
