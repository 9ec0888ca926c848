package dev.cairn.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Cairn's version: the Maven project version, which the build writes into
 * {@code version.properties} beside this class (resource filtering in protocol/pom.xml), so it is
 * the same from either shaded jar and from a test classpath. What the broker's, the load
 * generator's and the tools' {@code --version} print.
 */
public final class CairnVersion {
    private static final String RESOURCE = "version.properties";

    private CairnVersion() {}

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
}
