package io.dialerbridge.disposition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;

/**
 * The one JSON mapper of the dispositions flow. It is kept apart from the application's so that another feature's
 * Jackson customisation can never change what goes on the dispositions, suppressions or published-calls topics.
 */
final class DispositionJson {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // "{...} trailing garbage" is not a JSON document, whatever a lenient parser makes of its start.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The Kafka header that names the value's media type, as CloudEvents binary mode spells it. */
    static final String CONTENT_TYPE_HEADER = "content-type";
    static final String MEDIA_TYPE = "application/json";

    private DispositionJson() {
    }

    /** Serialises values the flow builds itself, which cannot fail to serialise. */
    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException impossible) {
            throw new UncheckedIOException(impossible);
        }
    }
}
