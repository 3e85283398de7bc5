package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hirechat.commands.DomainJson;
import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.Erased;
import com.hirechat.domain.MessageId;
import com.hirechat.domain.MessageSent;
import com.hirechat.domain.Profile;
import com.hirechat.domain.ProfileRole;
import com.hirechat.domain.UserId;
import com.hirechat.domain.UserRegistered;
import com.hirechat.infra.crypto.KeyRing;
import com.hirechat.infra.crypto.SealingSerializer;
import com.hirechat.projections.TestDatabase;

/** The store boundary on its own: what is stored of a text, and what each kind of damage reads as. */
class SealingSerializerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2026-12-06T04:00:00.123456Z");
    private static Database database;
    private static SealingSerializer serializer;
    private static Jdbi jdbi;

    @BeforeAll
    static void open() {
        var coordinates = TestDatabase.createDatabase();
        database = Database.open(AppConfig.from(Map.of("HIRECHAT_JDBC_URL", coordinates.jdbcUrl(),
                "HIRECHAT_JDBC_USER", coordinates.user(), "HIRECHAT_JDBC_PASSWORD", coordinates.password(),
                "HIRECHAT_TOKEN_SECRET", TestServers.TOKEN_SECRET)));
        serializer = serializer();
        jdbi = Jdbi.create(database.dataSource());
    }

    @AfterAll
    static void close() {
        database.close();
    }

    /** A serializer with a cold key cache, as another node or a restart has. */
    private static SealingSerializer serializer() {
        return new SealingSerializer(JacksonSerializer.builder().objectMapper(DomainJson.mapper()).build(),
                new KeyRing(database.dataSource(), TestKeys.master()));
    }

    private static MessageSent sent(String conversation, String author, String text) {
        return new MessageSent(ConversationId.of(conversation), MessageId.of(UUID.randomUUID().toString()),
                ClientMessageId.of("c-1"), UserId.of(author), text, AT, 1);
    }

    @Test
    void theStoredTextIsSealedTheSameEveryTimeAndOpensToTheText() throws Exception {
        var event = sent(UUID.randomUUID().toString(), "seeker-1", "my salary is 70000");
        var stored = serializer.serialize(event, byte[].class);
        var again = serializer().serialize(event, byte[].class);

        assertThat(new String(stored.getData(), StandardCharsets.UTF_8)).doesNotContain("70000");
        // the chain hashes one serialization and the store writes another: they must be the same bytes
        assertThat(again.getData()).isEqualTo(stored.getData());
        assertThat(stored.getType().getRevision()).isEqualTo("2");
        var text = JSON.readTree(stored.getData()).path("text");
        assertThat(text.isObject()).isTrue();
        assertThat(text.path("keyId").asText()).isNotBlank();
        assertThat((MessageSent) serializer().deserialize(stored)).isEqualTo(event);
    }

    @Test
    void aPlainTextStoredBeforeEncryptionReadsAsItIs() {
        var event = sent(UUID.randomUUID().toString(), "seeker-2", "stored in the clear");
        SerializedObject<byte[]> plain = JacksonSerializer.builder().objectMapper(DomainJson.mapper()).build()
                .serialize(event, byte[].class);
        assertThat((MessageSent) serializer.deserialize(plain)).isEqualTo(event);
    }

    @Test
    void aSealedTextMovedToAnotherAuthorOrAlteredReadsAsErased() throws Exception {
        var conversation = UUID.randomUUID().toString();
        var stored = serializer.serialize(sent(conversation, "seeker-3", "hello"), byte[].class);

        var moved = (ObjectNode) JSON.readTree(stored.getData());
        moved.put("sentBy", "someone-else");
        assertThat(((MessageSent) serializer.deserialize(reserialized(moved, stored))).text()).isEqualTo(Erased.TEXT);

        var altered = (ObjectNode) JSON.readTree(stored.getData());
        var sealed = (ObjectNode) altered.path("text");
        var ciphertext = sealed.path("ciphertext").asText();
        sealed.put("ciphertext", (ciphertext.startsWith("A") ? "B" : "A") + ciphertext.substring(1));
        assertThat(((MessageSent) serializer.deserialize(reserialized(altered, stored))).text()).isEqualTo(Erased.TEXT);
    }

    @Test
    void aDestroyedKeyReadsAsErasedAndTheProfileLosesNameAndPicture() {
        var user = "seeker-" + UUID.randomUUID().toString().substring(0, 8);
        var registered = new UserRegistered(UserId.of(user),
                new Profile("Ada Lovelace", "https://img.example/ada.png", ProfileRole.SEEKER), AT);
        var stored = serializer.serialize(registered, byte[].class);
        assertThat(new String(stored.getData(), StandardCharsets.UTF_8)).doesNotContain("Ada", "ada.png")
                .contains("SEEKER");

        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE data_keys SET wrapped_key = NULL, master_key_id = NULL, destroyed_at = now()
                         WHERE user_id = :user""").bind("user", user).execute());
        UserRegistered read = serializer().deserialize(stored);
        assertThat(read.profile().displayName()).isEqualTo(Erased.TEXT);
        assertThat(read.profile().avatarUrl()).isNull();
        assertThat(read.profile().role()).isEqualTo(ProfileRole.SEEKER);
    }

    private static SerializedObject<byte[]> reserialized(ObjectNode payload, SerializedObject<byte[]> like)
            throws Exception {
        return new SimpleSerializedObject<>(JSON.writeValueAsBytes(payload), byte[].class, like.getType());
    }
}
