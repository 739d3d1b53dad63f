package dev.stepwise.server.web;

import dev.stepwise.server.config.StepwiseProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Enforces the request body limit on the uncompressed size and decodes
 * {@code Content-Encoding: gzip} bodies. A declared length over the limit is answered 413 before
 * reading; a streamed or compressed body is counted while read and fails with
 * {@link PayloadTooLargeException}, which the error handler maps to 413.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RequestBodyFilter extends OncePerRequestFilter {

    /** A blob upload: raw bytes streamed to disk, limited by STEPWISE_MAX_BLOB_BYTES instead. */
    private static final Pattern BLOB_UPLOAD = Pattern.compile("^/api/v1/projects/[^/]+/blobs/[^/]+$");

    private final long maxBytes;
    private final long maxBlobBytes;
    private final ProblemResponses problems;

    RequestBodyFilter(StepwiseProperties properties, ProblemResponses problems) {
        this.maxBytes = properties.http().maxBodyBytes().toBytes();
        this.maxBlobBytes = Math.max(maxBytes, properties.media().maxBlobBytes().toBytes());
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String encoding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
        boolean gzip = encoding != null && encoding.trim().equalsIgnoreCase("gzip");
        if (encoding != null && !gzip && !encoding.trim().equalsIgnoreCase("identity")) {
            problems.write(request, response, HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Encoding '" + encoding + "' is not supported; use gzip or identity", Map.of());
            return;
        }
        long limit = "PUT".equals(request.getMethod()) && BLOB_UPLOAD.matcher(request.getRequestURI()).matches()
                ? maxBlobBytes : maxBytes;
        if (!gzip && request.getContentLengthLong() > limit) {
            problems.write(request, response, HttpStatus.CONTENT_TOO_LARGE,
                    "Request body exceeds the limit of " + limit + " bytes", Map.of());
            return;
        }
        chain.doFilter(new LimitedBodyRequest(request, gzip, limit), response);
    }

    private static final class LimitedBodyRequest extends HttpServletRequestWrapper {
        private final boolean gzip;
        private final long maxBytes;
        private ServletInputStream stream;

        LimitedBodyRequest(HttpServletRequest request, boolean gzip, long maxBytes) {
            super(request);
            this.gzip = gzip;
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                InputStream raw = super.getInputStream();
                stream = new CountingInputStream(gzip ? new GZIPInputStream(raw, 64 * 1024) : raw, maxBytes);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String charset = getCharacterEncoding() == null ? StandardCharsets.UTF_8.name() : getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        @Override
        public long getContentLengthLong() {
            return gzip ? -1 : super.getContentLengthLong();
        }

        @Override
        public int getContentLength() {
            return gzip ? -1 : super.getContentLength();
        }

        @Override
        public String getHeader(String name) {
            if (gzip && (HttpHeaders.CONTENT_ENCODING.equalsIgnoreCase(name)
                    || HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(name))) {
                return null;
            }
            return super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            if (gzip && (HttpHeaders.CONTENT_ENCODING.equalsIgnoreCase(name)
                    || HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(name))) {
                return Collections.emptyEnumeration();
            }
            return super.getHeaders(name);
        }
    }

    private static final class CountingInputStream extends ServletInputStream {
        private final InputStream in;
        private final long limit;
        private long count;
        private boolean finished;

        CountingInputStream(InputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b < 0) {
                finished = true;
            } else {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            int n = in.read(buffer, off, len);
            if (n < 0) {
                finished = true;
            } else {
                add(n);
            }
            return n;
        }

        private void add(long n) throws PayloadTooLargeException {
            count += n;
            if (count > limit) {
                throw new PayloadTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return finished;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new IllegalStateException("asynchronous reads are not supported");
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
