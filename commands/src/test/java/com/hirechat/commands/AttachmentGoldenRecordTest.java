package com.hirechat.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

import com.hirechat.domain.Attachment;
import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.EventHash;
import com.hirechat.domain.MessageId;
import com.hirechat.domain.MessageSent;
import com.hirechat.domain.UserId;

/**
 * The golden case of a message with a file (issue 26): the exact payload {@code MessageSent} stores (revision 2,
 * {@code attachments} after {@code seq}) and its scheme-2 link, pinned; and a message without files still stores no
 * {@code attachments} member at all, so its bytes are those the v1/v2 golden rows pin ({@link GoldenRecordFormatTest}).
 * Sealing the name happens later, at the store boundary (infra), and is not part of this shape.
 */
class AttachmentGoldenRecordTest {

    private static final JacksonSerializer EVENTS = JacksonSerializer.builder().objectMapper(DomainJson.mapper()).build();
    private static final String CONVERSATION = "2b83d1f1-65b8-39ee-a400-4b43bd925d4b";
    private static final String SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final MessageSent WITH_FILE = new MessageSent(ConversationId.of(CONVERSATION),
            MessageId.of("c6f4a0a2-1c1e-3a53-9d2f-5a8e9f1d2b7c"), ClientMessageId.of("7f1c"), UserId.of("seeker-99"),
            "my CV", Instant.parse("2026-11-24T09:00:00.123456Z"), 3,
            List.of(new Attachment("Lebenslauf.pdf", 48213, "application/pdf", SHA256)));

    /** The stored bytes of {@link #WITH_FILE}: pinned, never regenerated. */
    private static final String GOLDEN_PAYLOAD = "{\"conversationId\":\"" + CONVERSATION + "\","
            + "\"messageId\":\"c6f4a0a2-1c1e-3a53-9d2f-5a8e9f1d2b7c\",\"clientMessageId\":\"7f1c\","
            + "\"sentBy\":\"seeker-99\",\"text\":\"my CV\",\"sentAt\":\"2026-11-24T09:00:00.123456Z\",\"seq\":3,"
            + "\"attachments\":[{\"name\":\"Lebenslauf.pdf\",\"size\":48213,\"type\":\"application/pdf\","
            + "\"sha256\":\"" + SHA256 + "\"}]}";
    /** Scheme 2 over {@link #GOLDEN_PAYLOAD} at seq 3 after {@link EventHash#GENESIS}: pinned (compliance.md's script agrees). */
    private static final String GOLDEN_HASH = "06a1e08a4930ea3525a0a5e7ff022e922adffd3b72326306e5111e731de446ac";

    @Test
    void aMessageWithAFileStoresExactlyTheGoldenPayloadUnderRevisionTwo() {
        var stored = EVENTS.serialize(WITH_FILE, byte[].class);
        assertThat(new String(stored.getData(), StandardCharsets.UTF_8)).isEqualTo(GOLDEN_PAYLOAD);
        assertThat(stored.getType().getRevision()).isEqualTo("2");
        MessageSent read = EVENTS.deserialize(new SimpleSerializedObject<>(GOLDEN_PAYLOAD.getBytes(StandardCharsets.UTF_8),
                byte[].class, new SimpleSerializedType(MessageSent.class.getName(), "2")));
        assertThat(read).isEqualTo(WITH_FILE);
    }

    @Test
    void theChainCoversTheFilesHashSizeTypeAndName() {
        var canonical = CanonicalEventChain.canonical(CONVERSATION, 3, MessageSent.class.getName(), "2",
                GOLDEN_PAYLOAD.getBytes(StandardCharsets.UTF_8));
        assertThat(canonical).contains("\"sha256\":\"" + SHA256 + "\"", "\"size\":48213", "Lebenslauf.pdf");
        assertThat(CanonicalEventChain.hash(EventHash.GENESIS, canonical)).isEqualTo(GOLDEN_HASH);
        // another file behind the same message is another link
        var swapped = GOLDEN_PAYLOAD.replace(SHA256, "0".repeat(64));
        assertThat(CanonicalEventChain.hash(EventHash.GENESIS, CanonicalEventChain.canonical(CONVERSATION, 3,
                MessageSent.class.getName(), "2", swapped.getBytes(StandardCharsets.UTF_8)))).isNotEqualTo(GOLDEN_HASH);
    }

    @Test
    void aMessageWithoutFilesStoresNoAttachmentsMemberAndReadsBackWithNone() {
        var plain = new MessageSent(WITH_FILE.conversationId(), WITH_FILE.messageId(), WITH_FILE.clientMessageId(),
                WITH_FILE.sentBy(), WITH_FILE.text(), WITH_FILE.sentAt(), WITH_FILE.seq());
        var stored = new String(EVENTS.serialize(plain, byte[].class).getData(), StandardCharsets.UTF_8);
        assertThat(stored).doesNotContain("attachments").endsWith("\"seq\":3}");
        MessageSent read = EVENTS.deserialize(new SimpleSerializedObject<>(stored.getBytes(StandardCharsets.UTF_8),
                byte[].class, new SimpleSerializedType(MessageSent.class.getName(), "2")));
        assertThat(read.attachments()).isEmpty();
        assertThat(read).isEqualTo(plain);
    }
}
