package io.github.keycloaksms.gateway;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * HTTP for gateways: each call makes at most one request, with short timeouts and a hard deadline,
 * no redirects, through the operator's egress proxy when one is set, and only to where the
 * operator's outbound policy for this gateway lets it go (by default: public https addresses).
 */
@PublicApi(unstable = true)
public interface GatewayHttp {

    /** What the server answered: its status and (the first 64 KiB of) its body. */
    @PublicApi(unstable = true)
    final class Answer {
        private final int status;
        private final String body;

        private Answer(int status, String body) {
            this.status = status;
            this.body = body;
        }

        public static Answer of(int status, String body) {
            return new Answer(status, body);
        }

        public int status() {
            return status;
        }

        public String body() {
            return body;
        }

        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }
    }

    /** Why a URL or the address it resolves to may not be reached; the message says why, for an admin. */
    @PublicApi(unstable = true)
    final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    /** Checks a URL an admin typed, without connecting. */
    URI check(String url) throws Refused;

    /** Like {@link #check(String)}, and refuses at once a host name that points at a private address. */
    URI checkWithLookup(String url) throws Refused;

    /**
     * POSTs once.
     *
     * @param contentType e.g. {@code application/json} or {@code application/x-www-form-urlencoded}; UTF-8 is added
     * @throws Refused     when the policy forbids the URL or the address it resolves to
     * @throws IOException on connection errors, timeouts and the deadline
     */
    Answer post(URI url, Map<String, String> headers, String contentType, String body) throws IOException, Refused;
}
