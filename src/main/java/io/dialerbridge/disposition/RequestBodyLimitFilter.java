package io.dialerbridge.disposition;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Stops the intake from reading more of a request body than the configured limit, and marks such a request so the
 * route answers it with a 413.
 *
 * <p>platform-http reads the whole body into a stream cache before the route starts, so the limit has to act below
 * Camel. The filter answers nothing itself: the route decides, after the API key check, so an unauthenticated caller
 * gets a 401 whatever it sends and every answer comes from one place. A declared {@code Content-Length} over the
 * limit is not read at all; a chunked body is read up to the limit and then cut.
 */
public class RequestBodyLimitFilter extends OncePerRequestFilter {

    /** Request attribute set to {@code Boolean.TRUE} when the body was over the limit. */
    public static final String TOO_LARGE = RequestBodyLimitFilter.class.getName() + ".tooLarge";

    private final long maxBytes;

    public RequestBodyLimitFilter(long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Whether the filter found the request's body over the limit (complete once the body has been read). */
    public static boolean isTooLarge(HttpServletRequest request) {
        return request != null && Boolean.TRUE.equals(request.getAttribute(TOO_LARGE));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            request.setAttribute(TOO_LARGE, Boolean.TRUE);
            chain.doFilter(new LimitedBodyRequest(request, 0), response);
        } else {
            chain.doFilter(new LimitedBodyRequest(request, maxBytes), response);
        }
    }

    /** The request with a body that ends after {@code limit} bytes, marking the request if more was there. */
    private static final class LimitedBodyRequest extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream stream;

        LimitedBodyRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedInputStream((HttpServletRequest) getRequest(), limit);
            }
            return stream;
        }
    }

    private static final class LimitedInputStream extends ServletInputStream {

        private final HttpServletRequest request;
        private final ServletInputStream body;
        private final long limit;
        private long read;
        private boolean finished;

        LimitedInputStream(HttpServletRequest request, long limit) throws IOException {
            this.request = request;
            this.body = limit == 0 ? null : request.getInputStream();
            this.limit = limit;
            this.finished = limit == 0;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (finished) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            // One byte beyond the limit tells "exactly the limit" from "more than the limit".
            int wanted = (int) Math.min(length, limit + 1 - read);
            int n = body.read(buffer, offset, wanted);
            if (n < 0) {
                finished = true;
                return -1;
            }
            read += n;
            if (read > limit) {
                request.setAttribute(TOO_LARGE, Boolean.TRUE);
                finished = true;
                int allowed = n - (int) (read - limit);
                return allowed > 0 ? allowed : -1;
            }
            return n;
        }

        @Override
        public boolean isFinished() {
            return finished;
        }

        @Override
        public boolean isReady() {
            return finished || body.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException("the dispositions intake reads its body blocking");
        }
    }
}
