package io.verops.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;

/**
 * The one JSON mapping of verops: snake_case fields, ISO-8601 instants as strings, no nulls. The messages that
 * exist once per row of a batch are written by hand-written serialisers that write the same JSON
 * ({@link io.verops.core.internal.RowMessageSerializers}).
 */
public final class Json {
    private static final ObjectMapper MAPPER = dataBinding()
            .addModule(io.verops.core.internal.RowMessageSerializers.module())
            .build();
    /**
     * Writes UTF-8 bytes as encoding the JSON text would: a character outside the Basic Multilingual Plane as its
     * four bytes, not as an escaped surrogate pair (a lone surrogate, which UTF-8 cannot encode, is escaped).
     */
    private static final ObjectWriter UTF8 = MAPPER.writer().with(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8);

    private Json() {
    }

    /**
     * The mapping by data binding alone, without the hand-written serialisers of the row messages: what they must
     * write the same as (a test compares them).
     */
    static JsonMapper.Builder dataBinding() {
        return JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .findAndAddModules();
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The JSON as UTF-8 bytes (what a Kafka record's value holds), written without a String in between: the bytes of
     * {@link #write}'s text, except that a lone surrogate (text that is not valid Unicode) is escaped instead of
     * becoming '?'.
     */
    public static byte[] writeUtf8(Object value) {
        try {
            return UTF8.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String pretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(String text, Class<T> type) {
        try {
            return MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T convert(JsonNode node, Class<T> type) {
        return MAPPER.convertValue(node, type);
    }
}
