package io.github.keycloaksms.gateway.webhook;

import java.io.IOException;
import java.io.StringReader;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;

import freemarker.core.InvalidReferenceException;
import freemarker.core.ParseException;
import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.template.SimpleObjectWrapper;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;

import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.phone.PhoneNumber;

/**
 * The body the webhook POSTs: a FreeMarker template over values escaped for its format (JSON
 * strings or form-encoded), in a locked
 * down engine (no {@code ?new}, no {@code ?api}, no includes, only maps, strings and numbers),
 * admitted only when {@link TemplateGuard} finds nothing but interpolations and conditions, and
 * rendered into a buffer of bounded size.
 */
public final class WebhookBody {

    /** authentik's generic SMS body, so that existing receivers keep working. */
    public static final String DEFAULT_TEMPLATE =
            "{\"From\": \"${from}\", \"To\": \"${phone}\", \"Body\": \"${code}\", \"Message\": \"${message}\"}";
    /** The same fields, form-encoded. */
    public static final String DEFAULT_FORM_TEMPLATE = "From=${from}&To=${phone}&Body=${code}&Message=${message}";

    /** How values are escaped and what the rendered body must be. */
    public enum Format {
        JSON("application/json", DEFAULT_TEMPLATE),
        FORM("application/x-www-form-urlencoded", DEFAULT_FORM_TEMPLATE);

        public final String contentType;
        final String defaultTemplate;

        Format(String contentType, String defaultTemplate) {
            this.contentType = contentType;
            this.defaultTemplate = defaultTemplate;
        }

        String escape(String value) {
            if (value == null) {
                return "";
            }
            return this == JSON ? new String(JsonStringEncoder.getInstance().quoteAsString(value))
                    : URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }

    private static final Configuration ENGINE = engine();
    private static final ObjectMapper JSON = new ObjectMapper();

    static final int MAX_OUTPUT = 8192;
    private static final int MAX_COMPILED = 64;
    private static final Map<String, WebhookBody> COMPILED = new ConcurrentHashMap<>();
    private static final Pattern FORM_BODY = Pattern.compile("[A-Za-z0-9._~%+-]+=[A-Za-z0-9._~%+*-]*(?:&[A-Za-z0-9._~%+-]+=[A-Za-z0-9._~%+*-]*)*");

    private final Template template;
    private final Format format;

    private WebhookBody(Template template, Format format) {
        this.template = template;
        this.format = format;
    }

    /**
     * @param source the admin's template; null or blank for the format's default. Compiled templates
     *               are kept (they are thread-safe), so a send does not parse the template again.
     */
    public static WebhookBody compile(String source, Format format) throws InvalidTemplateException {
        String text = source == null || source.isBlank() ? format.defaultTemplate : source;
        String key = format + ":" + text;
        WebhookBody compiled = COMPILED.get(key);
        if (compiled != null) {
            return compiled;
        }
        TemplateGuard.check(text);
        try {
            compiled = new WebhookBody(new Template("webhookBodyTemplate", new StringReader(text), ENGINE), format);
        } catch (ParseException e) {
            throw new InvalidTemplateException(firstLine(e.getEditorMessage()) + at(e.getLineNumber(), e.getColumnNumber()));
        } catch (IOException e) {
            throw new InvalidTemplateException(firstLine(e.getMessage()));
        }
        if (COMPILED.size() >= MAX_COMPILED) {
            COMPILED.clear();   // templates change rarely; starting over keeps the cache bounded
        }
        COMPILED.put(key, compiled);
        return compiled;
    }

    /**
     * Compiles the template and renders it for a sample message, so that an admin learns at once
     * when it fails or gives something that is not JSON, or for a form not {@code name=value} pairs joined by {@code &}.
     */
    public static void check(String source, Format format) throws InvalidTemplateException {
        PhoneNumber sample = PhoneNumber.ofStoredE164("+4915123456789");
        String rendered = compile(source, format).render(SmsMessage.to(sample).text("123456 is your \"code\"\n@example.org #123456").code("123456")
                .ttl(Duration.ofMinutes(5)).locale(Locale.ENGLISH).realm("realm")
                .user(SmsMessage.Recipient.of("id", "o'brien", "o@example.org", "Jo \"J\"", "O'Brien\\")).build(), "+15550000000");
        if (format == Format.FORM) {
            if (!FORM_BODY.matcher(rendered).matches()) {
                throw new InvalidTemplateException("the rendered body is not a form (name=value pairs joined by &)");
            }
            return;
        }
        try {
            JSON.readTree(rendered);
        } catch (JsonProcessingException e) {
            // Jackson's hints name its own switches ("enable JsonReadFeature..."), which mean nothing to an admin
            String why = e.getOriginalMessage().replaceAll("\\s*\\([^()]*(?:enable|Feature)[^()]*\\)", "");
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + " of the body rendered for a sample message)";
            throw new InvalidTemplateException("the rendered body is not JSON: " + firstLine(why) + where);
        }
    }

    public String render(SmsMessage message, String from) throws InvalidTemplateException {
        Map<String, Object> user = new HashMap<>();
        user.put("id", format.escape(message.user().id()));
        user.put("username", format.escape(message.user().username()));
        user.put("email", format.escape(message.user().email()));
        user.put("firstName", format.escape(message.user().firstName()));
        user.put("lastName", format.escape(message.user().lastName()));
        Map<String, Object> model = new HashMap<>();
        model.put("code", format.escape(message.code()));
        model.put("phone", format.escape(message.to().e164()));
        model.put("phoneDigits", format.escape(message.to().e164().substring(1)));
        model.put("from", format.escape(from));
        model.put("message", format.escape(message.text()));
        model.put("ttlSeconds", message.ttl().toSeconds());
        model.put("locale", format.escape(message.locale().toLanguageTag()));
        model.put("realm", format.escape(message.realm()));
        model.put("user", user);
        BoundedWriter out = new BoundedWriter();
        try {
            template.process(model, out);
        } catch (InvalidReferenceException e) {
            throw new InvalidTemplateException(e.getBlamedExpressionString() + " is not a variable of the message"
                    + at(e.getLineNumber(), e.getColumnNumber()) + "; the variables are " + VARIABLES);
        } catch (TemplateException e) {
            throw new InvalidTemplateException(firstLine(e.getMessageWithoutStackTop()) + at(e.getLineNumber(), e.getColumnNumber()));
        } catch (IOException e) {
            throw new InvalidTemplateException(e.getMessage());
        }
        return out.toString();
    }

    /** What a template may use, for the admin's error message. */
    private static final String VARIABLES = "code, phone, phoneDigits, from, message, ttlSeconds, locale, realm, "
            + "user.id, user.username, user.email, user.firstName, user.lastName";

    private static String at(Integer line, Integer column) {
        return line == null ? "" : " (line " + line + ", column " + column + ")";
    }

    /** Refuses to grow past {@link #MAX_OUTPUT} characters, so no template can fill the server's memory. */
    private static final class BoundedWriter extends Writer {
        private final StringBuilder text = new StringBuilder();

        @Override
        public void write(char[] chars, int offset, int length) throws IOException {
            if (text.length() + length > MAX_OUTPUT) {
                throw new IOException("the rendered body is longer than " + MAX_OUTPUT + " characters");
            }
            text.append(chars, offset, length);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    private static String firstLine(String message) {
        String text = message == null ? "template error" : message.strip();
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private static Configuration engine() {
        Configuration engine = new Configuration(Configuration.VERSION_2_3_32);
        engine.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        engine.setAPIBuiltinEnabled(false);
        engine.setObjectWrapper(new SimpleObjectWrapper(Configuration.VERSION_2_3_32));
        engine.setTemplateLoader(null);
        engine.setTagSyntax(Configuration.ANGLE_BRACKET_TAG_SYNTAX);
        engine.setInterpolationSyntax(Configuration.DOLLAR_INTERPOLATION_SYNTAX);
        engine.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        engine.setLogTemplateExceptions(false);
        engine.setWrapUncheckedExceptions(true);
        engine.setNumberFormat("computer");
        return engine;
    }

    /** A template that does not compile or does not render; the message says why, without data. */
    public static class InvalidTemplateException extends Exception {
        public InvalidTemplateException(String message) {
            super(message);
        }
    }
}
