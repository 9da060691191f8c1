package io.verops.ingest.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The JSON body of every error answer: {@code {"error": "...", "problems": [...]}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String error, List<String> problems) {
    public static ErrorBody of(String error) {
        return new ErrorBody(error, null);
    }
}
