package dev.stepwise.server.web;

import java.io.IOException;

/** Thrown while reading a request body that exceeds the configured limit (after decompression). */
public class PayloadTooLargeException extends IOException {

    public PayloadTooLargeException(long limit) {
        super("request body exceeds " + limit + " bytes");
    }
}
