package io.github.keycloaksms.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/** Form posts sent all at once, as a script (not a person) would send them, with a browser's cookies. */
final class ParallelPosts {

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private ParallelPosts() {
    }

    /** A post of the form with this id on the browser's page. */
    static HttpRequest request(Browser browser, String formId, String body) {
        String cookies = browser.cookies().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("; "));
        return HttpRequest.newBuilder(URI.create(browser.attribute(formId, "action")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", cookies)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** Each body posted to the code form of the browser's page, all at the same time. */
    static List<HttpResponse<String>> toCodeForm(Browser browser, List<String> bodies) throws Exception {
        return sendAll(bodies.stream().map(b -> request(browser, "kc-sms-code-form", b)).toList());
    }

    static List<HttpResponse<String>> sendAll(List<HttpRequest> requests) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (HttpRequest request : requests) {
            pending.add(HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> answer : pending) {
            answers.add(answer.get());
        }
        return answers;
    }

    /** True for an answer that ends the login: a redirect to the client with an authorization code. */
    static boolean loggedIn(HttpResponse<String> answer) {
        String location = answer.headers().firstValue("Location").orElse("");
        return location.startsWith(TestRealm.REDIRECT_URI + "?") && location.contains("code=");
    }
}
