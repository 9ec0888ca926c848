package dev.cairn.broker.core;

import static dev.cairn.broker.core.AuthenticationTest.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.session.Origin;
import dev.cairn.broker.testing.Packets;
import dev.cairn.protocol.PasswordFile;
import dev.cairn.protocol.PasswordHash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: each listener judges its clients by its own password file, anonymous rule and topic ACL
 * (listener.NAME.password_file, .allow_anonymous, .acl_file), the top-level ones where it sets
 * none, and listeners naming one file share one store that one reload refreshes. Method: the real
 * core without sockets ({@link CoreHarness}) with three listeners, connections opened with the
 * {@link Origin} of each: "default" (top-level plant users and plant ACL), "office" (its own
 * users and ACL) and "lab" (the plant users again, no ACL, anonymous allowed).
 */
class PerListenerSecurityTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Origin DEFAULT = Origin.DEFAULT;
    private static final Origin OFFICE = new Origin("office", null);
    private static final Origin LAB = new Origin("lab", null);

    @TempDir
    Path dir;

    private CoreHarness core;
    private Path plantUsers;

    @BeforeEach
    void start() throws IOException {
        plantUsers = passwordFile("plant-passwd", "alice", "wonderland");
        Path officeUsers = passwordFile("office-passwd", "bob", "builder");
        Path plantAcl = Files.writeString(dir.resolve("plant.acl"), "user alice\ntopic readwrite plant/#\n");
        Path officeAcl = Files.writeString(dir.resolve("office.acl"), "user bob\ntopic readwrite office/#\n");
        core = CoreHarness.start(Map.of(
                "password_file",
                plantUsers.toString(),
                "acl_file",
                plantAcl.toString(),
                "auth_failure_delay_millis",
                "0",
                "listener.office.port",
                "0",
                "listener.office.password_file",
                officeUsers.toString(),
                "listener.office.acl_file",
                officeAcl.toString(),
                "listener.lab.port",
                "0",
                "listener.lab.password_file",
                plantUsers.toString(),
                "listener.lab.acl_file",
                "",
                "listener.lab.allow_anonymous",
                "true"));
    }

    @AfterEach
    void stop() {
        if (core != null) {
            core.close();
        }
    }

    private Path passwordFile(String name, String user, String password) throws IOException {
        Path path = dir.resolve(name);
        write(path, PasswordFile.empty().with(user, PasswordHash.pbkdf2(password.toCharArray(), 1000, RANDOM)));
        return path;
    }

    private static void write(Path path, PasswordFile file) throws IOException {
        Files.writeString(path, file.text(), StandardCharsets.UTF_8);
    }

    private ReasonCode connAck(Origin origin, String clientId, String user, String password) {
        RecordingWire wire = core.open(origin);
        core.send(wire, connect(ProtocolVersion.MQTT_5, clientId, user, password));
        return wire.next(Packet.ConnAck.class).reason();
    }

    private RecordingWire connected(Origin origin, String clientId, String user, String password) {
        RecordingWire wire = core.open(origin);
        core.send(wire, connect(ProtocolVersion.MQTT_5, clientId, user, password));
        assertEquals(ReasonCode.SUCCESS, wire.next(Packet.ConnAck.class).reason(), clientId);
        return wire;
    }

    private ReasonCode subAck(RecordingWire wire, String filter) {
        return core.send(wire, Packets.subscribe(1, filter, QoS.AT_LEAST_ONCE))
                .next(Packet.SubAck.class)
                .reasons()
                .get(0);
    }

    @Test
    void eachListenerChecksPasswordsAgainstItsOwnFile() {
        assertEquals(ReasonCode.SUCCESS, connAck(DEFAULT, "a1", "alice", "wonderland"));
        assertEquals(ReasonCode.BAD_USER_NAME_OR_PASSWORD, connAck(DEFAULT, "b1", "bob", "builder"));
        assertEquals(ReasonCode.SUCCESS, connAck(OFFICE, "b2", "bob", "builder"));
        assertEquals(ReasonCode.BAD_USER_NAME_OR_PASSWORD, connAck(OFFICE, "a2", "alice", "wonderland"));
        assertEquals(ReasonCode.SUCCESS, connAck(LAB, "a3", "alice", "wonderland"), "lab names the plant file");
        assertEquals(ReasonCode.BAD_USER_NAME_OR_PASSWORD, connAck(LAB, "b3", "bob", "builder"));
    }

    @Test
    void anonymousClientsAreAcceptedOnlyWhereTheirListenerAllowsThem() {
        assertEquals(ReasonCode.NOT_AUTHORIZED, connAck(DEFAULT, "anon1", null, null));
        assertEquals(ReasonCode.NOT_AUTHORIZED, connAck(OFFICE, "anon2", null, null));
        assertEquals(ReasonCode.SUCCESS, connAck(LAB, "anon3", null, null));
    }

    @Test
    void eachListenerAppliesItsOwnTopicAcl() {
        RecordingWire alice = connected(DEFAULT, "alice-plant", "alice", "wonderland");
        assertEquals(ReasonCode.GRANTED_QOS_1, subAck(alice, "plant/#"));
        assertEquals(ReasonCode.NOT_AUTHORIZED, subAck(alice, "office/#"));
        RecordingWire bob = connected(OFFICE, "bob-office", "bob", "builder");
        assertEquals(ReasonCode.GRANTED_QOS_1, subAck(bob, "office/#"));
        assertEquals(ReasonCode.NOT_AUTHORIZED, subAck(bob, "plant/#"));
        RecordingWire labAlice = connected(LAB, "alice-lab", "alice", "wonderland");
        assertEquals(ReasonCode.GRANTED_QOS_1, subAck(labAlice, "office/#"), "lab has no ACL");

        // A message published on the lab reaches each subscriber the subscriber's listener lets read it.
        RecordingWire anon = connected(LAB, "anon-lab", null, null);
        core.send(anon, Packets.publish("office/memo", QoS.AT_MOST_ONCE, 0, "hi"));
        assertEquals("office/memo", bob.next(Packet.Publish.class).topic());
        assertEquals("office/memo", labAlice.next(Packet.Publish.class).topic());
        assertEquals(List.of(), alice.drain(), "alice's plant ACL grants no office topic");
    }

    @Test
    void listenersNamingOneFileShareOneStoreThatOneReloadRefreshes() throws IOException {
        assertSame(core.security.authenticator("default"), core.security.authenticator("lab"));
        assertEquals(4, core.security.reloadables().size(), "two password files and two ACL files");
        write(plantUsers, PasswordFile.empty().with("carol", PasswordHash.pbkdf2("c4rol".toCharArray(), 1000, RANDOM)));
        for (var part : core.security.reloadables()) {
            part.reload();
        }
        assertEquals(ReasonCode.SUCCESS, connAck(DEFAULT, "c1", "carol", "c4rol"));
        assertEquals(ReasonCode.SUCCESS, connAck(LAB, "c2", "carol", "c4rol"));
        assertEquals(ReasonCode.BAD_USER_NAME_OR_PASSWORD, connAck(OFFICE, "c3", "carol", "c4rol"));
        assertEquals(ReasonCode.BAD_USER_NAME_OR_PASSWORD, connAck(LAB, "a4", "alice", "wonderland"));
    }
}
