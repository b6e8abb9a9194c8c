package io.github.keycloaksms.it;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A lean browser for benchmarks: plain HTTP with cookies, forms found by id, no HTML parsing
 * beyond that, so that the client costs little next to the server.
 */
final class FormLogin {

    private static final Pattern FORM = Pattern.compile("<form\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ACTION = Pattern.compile("\\baction=\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new AllCookies())
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final String forwardedFor;
    private HttpResponse<String> page;

    /** @param forwardedFor the client address a proxy would report, so per-address limits see many clients */
    FormLogin(String forwardedFor) {
        this.forwardedFor = forwardedFor;
    }

    FormLogin open(String url) {
        page = send(HttpRequest.newBuilder(URI.create(url)).GET());
        return this;
    }

    /** Posts the form with this id on the current page. */
    FormLogin submit(String formId, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        page = send(HttpRequest.newBuilder(URI.create(action(formId)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        return this;
    }

    /** Follows the first link on the page whose address contains {@code part}. */
    FormLogin followLink(String part) {
        Matcher href = Pattern.compile("href=\"([^\"]*" + Pattern.quote(part) + "[^\"]*)\"").matcher(page.body());
        if (!href.find()) {
            throw new AssertionError("no link to " + part + " on " + page.uri());
        }
        return open(page.uri().resolve(href.group(1).replace("&amp;", "&")).toString());
    }

    boolean isLoggedIn() {
        return page.uri().getPath().endsWith("/it-callback") && page.uri().getQuery().contains("code=");
    }

    String body() {
        return page.body();
    }

    private String action(String formId) {
        Matcher form = FORM.matcher(page.body());
        while (form.find()) {
            if (form.group().contains("id=\"" + formId + "\"")) {
                Matcher action = ACTION.matcher(form.group());
                if (action.find()) {
                    return action.group(1).replace("&amp;", "&");
                }
            }
        }
        throw new AssertionError("no form " + formId + " on " + page.uri() + ":\n" + page.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.header("X-Forwarded-For", forwardedFor).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Keeps every cookie and sends it back everywhere: Keycloak marks its cookies Secure, which a
     * browser honours on http://localhost but java.net.CookieManager does not.
     */
    private static final class AllCookies extends CookieHandler {

        private final Map<String, String> cookies = new ConcurrentHashMap<>();

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
            if (cookies.isEmpty()) {
                return Map.of();
            }
            return Map.of("Cookie", List.of(cookies.entrySet().stream()
                    .map(c -> c.getKey() + "=" + c.getValue()).collect(Collectors.joining("; "))));
        }

        @Override
        public void put(URI uri, Map<String, List<String>> responseHeaders) {
            responseHeaders.forEach((name, values) -> {
                if ("Set-Cookie".equalsIgnoreCase(name)) {
                    for (String value : values) {
                        String pair = value.split(";", 2)[0];
                        int equals = pair.indexOf('=');
                        if (equals > 0) {
                            cookies.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
                        }
                    }
                }
            });
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
