package io.dialerbridge.disposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class RequestBodyLimitFilterTest {

    private final RequestBodyLimitFilter filter = new RequestBodyLimitFilter(10);

    /** Runs the filter and returns what the servlet behind it reads, and the request it was given. */
    private byte[] readThrough(MockHttpServletRequest request, AtomicReference<HttpServletRequest> seen)
            throws Exception {
        AtomicReference<byte[]> body = new AtomicReference<>();
        MockFilterChain chain = new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
            @Override
            protected void service(jakarta.servlet.http.HttpServletRequest req,
                    jakarta.servlet.http.HttpServletResponse res) throws IOException {
                seen.set(req);
                body.set(req.getInputStream().readAllBytes());
            }
        });
        filter.doFilter(request, new MockHttpServletResponse(), chain);
        return body.get();
    }

    private static MockHttpServletRequest post(byte[] body, boolean declareLength) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/dispositions") {
            @Override
            public long getContentLengthLong() {
                return declareLength ? super.getContentLengthLong() : -1;
            }
        };
        request.setContent(body);
        return request;
    }

    @Test
    void aBodyUpToTheLimitPassesWhole() throws Exception {
        MockHttpServletRequest request = post("0123456789".getBytes(), true);
        AtomicReference<HttpServletRequest> seen = new AtomicReference<>();

        assertThat(readThrough(request, seen)).isEqualTo("0123456789".getBytes());
        assertThat(RequestBodyLimitFilter.isTooLarge(seen.get())).isFalse();
    }

    @Test
    void aDeclaredLengthOverTheLimitIsNotReadAtAll() throws Exception {
        MockHttpServletRequest request = post("0123456789A".getBytes(), true);
        AtomicReference<HttpServletRequest> seen = new AtomicReference<>();

        assertThat(readThrough(request, seen)).isEmpty();
        assertThat(RequestBodyLimitFilter.isTooLarge(seen.get())).isTrue();
        assertThat(RequestBodyLimitFilter.isTooLarge(request)).isTrue();
    }

    @Test
    void aChunkedBodyIsCutAtTheLimitAndMarked() throws Exception {
        MockHttpServletRequest request = post("0123456789ABCDEF".getBytes(), false);
        AtomicReference<HttpServletRequest> seen = new AtomicReference<>();

        byte[] read = readThrough(request, seen);

        assertThat(read).hasSizeLessThanOrEqualTo(10);
        assertThat(RequestBodyLimitFilter.isTooLarge(seen.get())).isTrue();
    }

    @Test
    void aChunkedBodyOfExactlyTheLimitIsNotMarked() throws Exception {
        MockHttpServletRequest request = post("0123456789".getBytes(), false);
        AtomicReference<HttpServletRequest> seen = new AtomicReference<>();

        assertThat(readThrough(request, seen)).isEqualTo("0123456789".getBytes());
        assertThat(RequestBodyLimitFilter.isTooLarge(seen.get())).isFalse();
    }

    @Test
    void singleByteReadsStopAtTheLimitToo() throws Exception {
        MockHttpServletRequest request = post("0123456789ABCDEF".getBytes(), false);
        AtomicReference<HttpServletRequest> seen = new AtomicReference<>();
        AtomicReference<Integer> count = new AtomicReference<>(0);
        filter.doFilter(request, new MockHttpServletResponse(), new MockFilterChain(
                new jakarta.servlet.http.HttpServlet() {
                    @Override
                    protected void service(jakarta.servlet.http.HttpServletRequest req,
                            jakarta.servlet.http.HttpServletResponse res) throws IOException {
                        seen.set(req);
                        InputStream in = req.getInputStream();
                        while (in.read() >= 0) {
                            count.set(count.get() + 1);
                        }
                    }
                }));

        assertThat(count.get()).isEqualTo(10);
        assertThat(RequestBodyLimitFilter.isTooLarge(seen.get())).isTrue();
    }

    @Test
    void theLimitMustBePositive() {
        assertThatThrownBy(() -> new RequestBodyLimitFilter(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
