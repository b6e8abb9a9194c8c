package io.github.keycloaksms.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.htmlunit.BrowserVersion;
import org.htmlunit.Page;
import org.htmlunit.WebClient;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;

/** A user at the login pages, driven through HtmlUnit (no JavaScript: the pages must work without it). */
public final class Browser implements AutoCloseable {

    private static final Pattern TEMPLATE = Pattern.compile("<!-- template: (\\S+) -->");

    private final WebClient client = new WebClient(BrowserVersion.FIREFOX);
    private Page page;

    public Browser() {
        client.getOptions().setJavaScriptEnabled(false);
        client.getOptions().setCssEnabled(false);
        client.getOptions().setThrowExceptionOnFailingStatusCode(false);
        client.getOptions().setPrintContentOnFailingStatusCode(false);
        client.getOptions().setRedirectEnabled(true);
    }

    /** Sends this header with every request from now on, as a proxy in front of Keycloak might add it. */
    public Browser header(String name, String value) {
        client.addRequestHeader(name, value);
        return this;
    }

    public Browser open(String url) {
        try {
            page = client.getPage(url);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public Browser login(String username, String password) {
        fill("username", username);
        fill("password", password);
        return submit("login");
    }

    public Browser fill(String name, String value) {
        HtmlInput input = html().getElementByName(name);
        // a hostile client ignores maxlength; so do we, to test what the server accepts
        input.removeAttribute("maxlength");
        input.setValue(value);
        return this;
    }

    /** Clicks the submit button with this name, or (for choices) with this name and value. */
    public Browser submit(String name) {
        return click("//*[(self::button or self::input) and @name='" + name + "']");
    }

    public Browser submit(String name, String value) {
        return click("//*[(self::button or self::input) and @name='" + name + "' and @value='" + value + "']");
    }

    private Browser click(String xpath) {
        HtmlElement button = html().getFirstByXPath(xpath);
        if (button == null) {
            throw new AssertionError("no button " + xpath + " on " + template() + ":\n" + text());
        }
        try {
            page = button.click();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public Browser followLink(String id) {
        try {
            page = html().getHtmlElementById(id).click();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Follows the link with this text. */
    public Browser followLinkText(String text) {
        try {
            page = html().getAnchorByText(text).click();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** The browser's back button. */
    public Browser back() {
        try {
            client.getCurrentWindow().getHistory().back();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        page = client.getCurrentWindow().getEnclosedPage();
        return this;
    }

    /** Submits a form the page would submit with JavaScript, found by XPath. */
    public Browser submitForm(String formXpath) {
        HtmlForm form = html().getFirstByXPath(formXpath);
        if (form == null) {
            throw new AssertionError("no form " + formXpath + " on " + template() + ":\n" + text());
        }
        try {
            page = client.getPage(form.getWebRequest(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Points every form of this page at another server, as a load balancer switching nodes would. */
    public Browser retarget(String fromBaseUrl, String toBaseUrl) {
        for (HtmlForm form : html().getForms()) {
            String action = form.getActionAttribute();
            if (action.startsWith(fromBaseUrl)) {
                form.setActionAttribute(toBaseUrl + action.substring(fromBaseUrl.length()));
            }
        }
        return this;
    }

    public boolean has(String xpath) {
        return html().getFirstByXPath(xpath) != null;
    }

    /** Which of Keycloak's templates rendered the page, from the comment each template starts with. */
    public String template() {
        Matcher matcher = TEMPLATE.matcher(page.getWebResponse().getContentAsString());
        return matcher.find() ? matcher.group(1) : "(no template: " + page.getUrl() + " " + status() + ")\n" + text();
    }

    public int status() {
        return page.getWebResponse().getStatusCode();
    }

    public String url() {
        return page.getUrl().toString();
    }

    public String text() {
        return page instanceof HtmlPage html ? html.asNormalizedText() : page.getWebResponse().getContentAsString();
    }

    /** The error shown next to a field, or "" when there is none. */
    public String fieldError(String field) {
        DomElement error = html().getElementById("input-error-" + field);
        return error == null ? "" : error.getTextContent().strip();
    }

    public String attribute(String id, String attribute) {
        DomElement element = html().getElementById(id);
        return element == null ? null : element.getAttribute(attribute);
    }

    /** The cookies the browser would send to Keycloak, by name. */
    public java.util.Map<String, String> cookies() {
        java.util.Map<String, String> cookies = new java.util.HashMap<>();
        client.getCookieManager().getCookies().forEach(c -> cookies.put(c.getName(), c.getValue()));
        return cookies;
    }

    /** Adds a cookie for Keycloak's host, as a client can send any it likes. */
    public Browser addCookie(String name, String value, String path) {
        client.getCookieManager().addCookie(new org.htmlunit.util.Cookie("localhost", name, value, path, null, false));
        return this;
    }

    /** Forgets every cookie but {@code name}, as a browser that was closed keeps only its long-lived cookies. */
    public Browser keepOnlyCookie(String name) {
        client.getCookieManager().getCookies().stream().filter(c -> !c.getName().equals(name)).toList()
                .forEach(client.getCookieManager()::removeCookie);
        return this;
    }

    public boolean isLoggedIn() {
        return url().contains("/it-callback?") && url().contains("code=");
    }

    public HtmlPage html() {
        if (!(page instanceof HtmlPage html)) {
            throw new AssertionError("not an HTML page: " + url());
        }
        return html;
    }

    @Override
    public void close() {
        client.close();
    }
}
