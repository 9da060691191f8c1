package io.verops.archiver.service;

/** The JSON body of every error answer: {@code {"error": "..."}}. */
public record ErrorBody(String error) {
    public static ErrorBody of(String error) {
        return new ErrorBody(error);
    }
}
