package com.hirechat.web;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MimeTypes;
import org.apache.tika.parser.ParseContext;

/**
 * Decides what an upload is from its bytes (Apache Tika's magic detection, never the name or the client's claim) and
 * watches the rest of it go by: the size limit, and the polyglot rules of docs/attachments.md (content before a PDF's
 * header, markup in an image, bytes after an image's end). A refusal is an {@link ApiException} with a stable code.
 */
final class AttachmentInspector {

    /** How much of the head detection may look at (Tika's magic needs far less). */
    private static final int HEAD = 64 * 1024;
    private static final MediaType OOXML = MediaType.parse("application/x-tika-ooxml");
    private static final byte[] PDF_HEADER = "%PDF-".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PNG_END = {0x49, 0x45, 0x4E, 0x44, (byte) 0xAE, 0x42, 0x60, (byte) 0x82};
    /** Text that makes an image also an HTML page or a script to some reader; lower case, ASCII. */
    private static final List<byte[]> MARKUP = List.of("<script", "<html", "<svg", "<?php", "<iframe", "<body",
            "javascript:").stream().map(marker -> marker.getBytes(StandardCharsets.US_ASCII)).toList();
    private static final int LONGEST_MARKER = MARKUP.stream().mapToInt(marker -> marker.length).max().orElseThrow();

    private final AttachmentPolicy policy;

    AttachmentInspector(AttachmentPolicy policy) {
        this.policy = policy;
    }

    /** An upload being read: its detected type and the stream the store reads, which enforces the rules. */
    final class Upload extends FilterInputStream {
        private final String type;
        private long count;
        private final byte[] tail = new byte[16];
        private final byte[] carry = new byte[LONGEST_MARKER - 1];
        private int carried;
        private boolean markup;

        private final long declaredSize;

        private Upload(InputStream in, String type, long declaredSize) {
            super(in);
            this.type = type;
            this.declaredSize = declaredSize;
        }

        String type() {
            return type;
        }

        @Override
        public int read() throws IOException {
            var one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
                if (count > policy.maxBytes()) {
                    throw tooLarge();
                }
                remember(buffer, offset, n);
            }
            return n;
        }

        private void remember(byte[] buffer, int offset, int n) {
            // the last bytes, for the image end checks
            if (n >= tail.length) {
                System.arraycopy(buffer, offset + n - tail.length, tail, 0, tail.length);
            } else {
                System.arraycopy(tail, n, tail, 0, tail.length - n);
                System.arraycopy(buffer, offset, tail, tail.length - n, n);
            }
            if (AttachmentPolicy.isImage(type) && !markup) {
                // markers may straddle two reads: look at the end of the previous one too
                var window = new byte[carried + n];
                System.arraycopy(carry, 0, window, 0, carried);
                System.arraycopy(buffer, offset, window, carried, n);
                markup = containsMarkup(window);
                carried = Math.min(carry.length, window.length);
                System.arraycopy(window, window.length - carried, carry, 0, carried);
            }
        }

        /** Called with every byte read: refuses what the end of the file shows. */
        void finish(long size) {
            if (size == 0) {
                throw empty();
            }
            if (markup) {
                throw polyglot("the image also holds HTML or script");
            }
            if (!endsWhereItSays(size)) {
                throw polyglot("bytes follow the end of the image");
            }
        }

        private boolean endsWhereItSays(long size) {
            return switch (type) {
                case "image/png" -> size >= PNG_END.length && Arrays.equals(tail, tail.length - PNG_END.length,
                        tail.length, PNG_END, 0, PNG_END.length);
                case "image/jpeg" -> size >= 2 && tail[tail.length - 2] == (byte) 0xFF && tail[tail.length - 1] == (byte) 0xD9;
                case "image/webp" -> size == declaredSize;
                default -> true;
            };
        }
    }

    /** Looks at the head of the content and returns the stream to store, or refuses the upload. */
    Upload inspect(InputStream raw, String name) {
        var in = new BufferedInputStream(raw, HEAD);
        byte[] head;
        try {
            in.mark(HEAD);
            head = in.readNBytes(HEAD);
            in.reset();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (head.length == 0) {
            throw empty();
        }
        var type = detect(head, name);
        if (!policy.allowedTypes().contains(type)) {
            throw new ApiException(415, "attachment_type_not_allowed",
                    "files of this content (" + type + ") are not accepted; allowed: " + policy.allowedTypes());
        }
        if (type.equals("application/pdf") && !startsWith(head, PDF_HEADER)) {
            throw polyglot("a PDF must begin with its %PDF- header");
        }
        // a RIFF file says how long it is: bytes past that are something else riding along (checked at the end)
        long declared = type.equals("image/webp") && head.length >= 8 ? riffLength(head) + 8 : -1;
        return new Upload(in, type, declared);
    }

    private static long riffLength(byte[] head) {
        return (head[4] & 0xffL) | (head[5] & 0xffL) << 8 | (head[6] & 0xffL) << 16 | (head[7] & 0xffL) << 24;
    }

    private static String detect(byte[] head, String name) {
        try {
            // magic numbers only: with tika-core alone the detector is the MIME registry itself
            var detector = MimeTypes.getDefaultMimeTypes();
            var type = detector.detect(TikaInputStream.get(head), new Metadata(), new ParseContext());
            if (type.equals(OOXML) || type.equals(MediaType.APPLICATION_ZIP)) {
                // the content says "an Office Open XML (or zip) container"; only then may the name say which kind
                var named = new Metadata();
                named.set(TikaCoreProperties.RESOURCE_NAME_KEY, name);
                var refined = detector.detect(TikaInputStream.get(head), named, new ParseContext());
                var registry = detector.getMediaTypeRegistry();
                if (registry.isSpecializationOf(refined, type)) {
                    type = refined;
                }
            }
            return type.getBaseType().toString().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean containsMarkup(byte[] window) {
        var lower = new byte[window.length];
        for (int i = 0; i < window.length; i++) {
            byte b = window[i];
            lower[i] = b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
        }
        for (var marker : MARKUP) {
            outer:
            for (int i = 0; i + marker.length <= lower.length; i++) {
                for (int j = 0; j < marker.length; j++) {
                    if (lower[i + j] != marker[j]) {
                        continue outer;
                    }
                }
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    ApiException tooLarge() {
        return new ApiException(413, "attachment_too_large",
                "an attachment may have at most " + policy.maxBytes() + " bytes");
    }

    static ApiException empty() {
        return ApiException.badRequest("attachment_empty", "the file is empty");
    }

    static ApiException polyglot(String why) {
        return new ApiException(415, "attachment_polyglot", why + "; such a file is not accepted");
    }
}
