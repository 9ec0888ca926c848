package dev.cairn.broker.config;

import dev.cairn.protocol.CairnVersion;
import picocli.CommandLine.IVersionProvider;

/**
 * What the broker's and the load generator's {@code --version} print: "Cairn" and the project
 * version, which {@link CairnVersion} (cairn-protocol) reads from the build.
 */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"Cairn " + CairnVersion.get()};
    }
}
