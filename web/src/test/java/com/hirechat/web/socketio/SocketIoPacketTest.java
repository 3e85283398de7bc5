package com.hirechat.web.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The Socket.IO 5 packet format as the specification's examples write it. */
class SocketIoPacketTest {

    @Test
    void readsTypeNamespaceAckIdAndPayload() {
        var event = SocketIoPacket.parse("2/admin,13[\"bar\",{\"a\":1}]");
        assertThat(event.type()).isEqualTo(SocketIoPacket.EVENT);
        assertThat(event.namespace()).isEqualTo("/admin");
        assertThat(event.ackId()).isEqualTo(13L);
        assertThat(event.data().get(0).asText()).isEqualTo("bar");

        var connect = SocketIoPacket.parse("0{\"token\":\"123\"}");
        assertThat(connect.namespace()).isEqualTo("/");
        assertThat(connect.ackId()).isNull();
        assertThat(connect.data().path("token").asText()).isEqualTo("123");

        assertThat(SocketIoPacket.parse("1").data()).isNull();
        // digits in the payload are not an ack id
        assertThat(SocketIoPacket.parse("2[\"12\"]").ackId()).isNull();
    }

    @Test
    void writesPacketsForTheDefaultNamespace() {
        assertThat(SocketIoPacket.encode(SocketIoPacket.ACK, 7L, List.of("ok"))).isEqualTo("37[\"ok\"]");
        assertThat(SocketIoConnection.event("receive_message", List.of("x", "offset")))
                .isEqualTo("42[\"receive_message\",\"x\",\"offset\"]");
    }

    @Test
    void refusesWhatBreaksTheFormat() {
        for (var malformed : List.of("", "9", "x", "5-[\"a\",{\"_placeholder\":true}]", "6-1[]",
                "2" + "9".repeat(16) + "[\"a\"]")) {
            assertThatThrownBy(() -> SocketIoPacket.parse(malformed)).as(malformed)
                    .isInstanceOf(SocketIoPacket.Malformed.class);
        }
        assertThatThrownBy(() -> SocketIoPacket.parse("2[\"a\"").data()).isInstanceOf(SocketIoPacket.Malformed.class);
        assertThatThrownBy(() -> SocketIoPacket.parse("2[\"a\"] x").data()).isInstanceOf(SocketIoPacket.Malformed.class);
    }
}
