package com.hirechat.web;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.hirechat.domain.Attachment;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.UserId;
import com.hirechat.projections.ReadModelQueries;

/**
 * Uploading, downloading and previewing attachments (docs/attachments.md). Every route authenticates, then
 * authorises (the caller takes, or took, part in the conversation), then validates, as the rest of the API.
 */
final class AttachmentRoutes {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    /** Longest side of a preview, in pixels. */
    private static final int PREVIEW_SIDE = 640;
    /** Larger images are not decoded for a preview (a small file can declare a huge canvas). */
    private static final long MAX_PREVIEW_PIXELS = 40_000_000L;
    private static final String SANDBOX = "default-src 'none'; sandbox";

    private final Authenticator authenticator;
    private final ReadModelQueries queries;
    private final Attachments attachments;
    private final AttachmentInspector inspector;

    AttachmentRoutes(Authenticator authenticator, ReadModelQueries queries, Attachments attachments) {
        this.authenticator = authenticator;
        this.queries = queries;
        this.attachments = attachments;
        this.inspector = new AttachmentInspector(attachments.policy());
    }

    void upload(ServerRequest request, ServerResponse response) {
        var user = authenticator.require(request).user();
        var conversation = conversation(request);
        if (!queries.isParticipant(conversation, user)) {
            throw Failures.notAParticipant();
        }
        var name = AttachmentNames.sanitise(request.query().first("name").asOptional()
                .orElseThrow(() -> ApiException.badRequest("missing_parameter", "'name' (the file's name) is required")));
        var policy = attachments.policy();
        var declared = request.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > policy.maxBytes()) {
            // refused unread; Helidon then drains the body (at most twice the limit) to keep the connection
            throw inspector.tooLarge();
        }
        if (declared.isPresent() && declared.getAsLong() == 0 || !request.content().hasEntity()) {
            throw AttachmentInspector.empty();
        }
        var upload = inspector.inspect(request.content().inputStream(), name);
        AttachmentStore.Stored stored;
        try {
            stored = attachments.store().put(conversation, user, upload, policy.quotaBytes(),
                    (sha256, size) -> upload.finish(size));
        } catch (AttachmentStore.QuotaExceeded e) {
            throw new ApiException(413, "attachment_quota_exceeded", e.getMessage());
        } catch (UncheckedIOException | io.helidon.common.buffers.DataReader.InsufficientDataAvailableException e) {
            // the client went away mid-body (or the connection broke): nothing was kept, and nobody hears the answer
            throw ApiException.badRequest("attachment_incomplete", "the upload ended before its last byte");
        }
        var attachment = new Attachment(name, stored.size(), upload.type(), stored.sha256());
        attachments.uploads().record(conversation, user, attachment);
        var view = new LinkedHashMap<String, Object>();
        view.put("id", attachment.sha256());
        view.put("name", attachment.name());
        view.put("size", attachment.size());
        view.put("type", attachment.type());
        response.status(Status.CREATED_201);
        ApiRoutes.json(response, view);
    }

    void download(ServerRequest request, ServerResponse response) {
        var found = find(request);
        response.header(HeaderNames.CONTENT_TYPE, found.attachment().type());
        response.header(HeaderNames.CONTENT_DISPOSITION, contentDisposition(found.attachment().name()));
        sandboxed(response);
        response.header(HeaderNames.CONTENT_LENGTH, Long.toString(found.attachment().size()));
        try (var in = found.bytes(); var out = response.outputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void preview(ServerRequest request, ServerResponse response) {
        var found = find(request);
        var type = found.attachment().type();
        if (!AttachmentPolicy.isImage(type)) {
            try (var ignored = found.bytes()) {
                throw new ApiException(415, "no_preview", "only images have a preview");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        BufferedImage image;
        try (var in = found.bytes()) {
            image = decode(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // a fresh encoding of the pixels only: nothing of the uploaded file's bytes reaches the browser
        var format = type.equals("image/jpeg") ? "jpeg" : "png";
        var scaled = scale(image, format.equals("jpeg"));
        response.header(HeaderNames.CONTENT_TYPE, "image/" + format);
        response.header(HeaderNames.CONTENT_DISPOSITION, "inline");
        sandboxed(response);
        try (var out = response.outputStream()) {
            ImageIO.write(scaled, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage decode(InputStream in) throws IOException {
        try (var stream = ImageIO.createImageInputStream(in)) {
            var readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw new ApiException(415, "no_preview", "this image cannot be decoded");
            }
            var reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                if ((long) reader.getWidth(0) * reader.getHeight(0) > MAX_PREVIEW_PIXELS) {
                    throw new ApiException(415, "no_preview", "this image is too large to preview");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiException api) {
                throw api;
            }
            throw new ApiException(415, "no_preview", "this image cannot be decoded");
        }
    }

    private static BufferedImage scale(BufferedImage image, boolean opaque) {
        double factor = Math.min(1.0, (double) PREVIEW_SIDE / Math.max(image.getWidth(), image.getHeight()));
        int width = Math.max(1, (int) Math.round(image.getWidth() * factor));
        int height = Math.max(1, (int) Math.round(image.getHeight() * factor));
        var scaled = new BufferedImage(width, height, opaque ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_INT_ARGB);
        var graphics = scaled.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        graphics.drawImage(image, 0, 0, width, height, null);
        graphics.dispose();
        return scaled;
    }

    /** The attachment a caller may read, and its bytes (opened: the caller closes them). */
    private record Found(Attachment attachment, InputStream bytes) {
    }

    private Found find(ServerRequest request) {
        var user = authenticator.require(request).user();
        var conversation = conversation(request);
        // former participants keep the files of messages sent before they left
        var participation = queries.participation(conversation, user).orElseThrow(Failures::notAParticipant);
        var sha256 = request.path().pathParameters().get("sha256");
        if (!SHA256.matcher(sha256).matches()) {
            throw ApiException.badRequest("invalid_attachment_id", "an attachment id is 64 lowercase hexadecimal digits");
        }
        var sent = queries.attachment(conversation, sha256, participation.visibleBelow());
        Attachment attachment;
        UserId owner;
        if (sent.isPresent()) {
            if (sent.get().erased()) {
                throw erased();
            }
            owner = UserId.of(sent.get().senderId());
            attachment = new Attachment(sent.get().name(), sent.get().size(), sent.get().type(), sha256);
        } else if (participation.isCurrent()) {
            // the uploader's own file, not sent yet
            owner = user;
            attachment = attachments.uploads().find(conversation, user, sha256).orElseThrow(AttachmentRoutes::unknown);
        } else {
            throw unknown();
        }
        var bytes = attachments.store().open(conversation, owner, sha256).orElseThrow(AttachmentRoutes::erased);
        return new Found(attachment, bytes);
    }

    private static void sandboxed(ServerResponse response) {
        response.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        response.header(HeaderNames.create("Content-Security-Policy"), SANDBOX);
        response.header(HeaderNames.CACHE_CONTROL, "private, no-store");
    }

    /** RFC 6266: an ASCII fallback and the exact name as RFC 8187 UTF-8. */
    static String contentDisposition(String name) {
        var ascii = new StringBuilder();
        name.codePoints().forEach(c -> ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != ';'
                && c != '%' ? (char) c : '_'));
        var encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }

    private static ConversationId conversation(ServerRequest request) {
        try {
            return ConversationId.of(request.path().pathParameters().get("id"));
        } catch (com.hirechat.domain.DomainRuleViolation e) {
            throw ApiException.badRequest(e.error().code(), e.getMessage());
        }
    }

    private static ApiException unknown() {
        return new ApiException(404, "unknown_attachment", "no such attachment in this conversation");
    }

    private static ApiException erased() {
        return new ApiException(410, "attachment_erased", "this file was erased");
    }

    static ApiException unused(String why) {
        return ApiException.badRequest("unknown_attachment", why);
    }

    static boolean isAttachmentId(String text) {
        return text != null && SHA256.matcher(text).matches();
    }
}
