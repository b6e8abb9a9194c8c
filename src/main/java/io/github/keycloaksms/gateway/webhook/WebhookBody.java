package io.github.keycloaksms.gateway.webhook;

import java.io.IOException;
import java.io.StringReader;
import java.io.Writer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
 * The JSON body the webhook POSTs: a FreeMarker template over JSON-escaped values, in a locked
 * down engine (no {@code ?new}, no {@code ?api}, no includes, only maps, strings and numbers),
 * admitted only when {@link TemplateGuard} finds nothing but interpolations and conditions, and
 * rendered into a buffer of bounded size.
 */
public final class WebhookBody {

    /** authentik's generic SMS body, so that existing receivers keep working. */
    public static final String DEFAULT_TEMPLATE =
            "{\"From\": \"${from}\", \"To\": \"${phone}\", \"Body\": \"${code}\", \"Message\": \"${message}\"}";

    private static final Configuration ENGINE = engine();
    private static final ObjectMapper JSON = new ObjectMapper();

    static final int MAX_OUTPUT = 8192;
    private static final int MAX_COMPILED = 64;
    private static final Map<String, WebhookBody> COMPILED = new ConcurrentHashMap<>();

    private final Template template;

    private WebhookBody(Template template) {
        this.template = template;
    }

    /**
     * @param source the admin's template; null or blank for the default. Compiled templates are
     *               kept (they are thread-safe), so a send does not parse the template again.
     */
    public static WebhookBody compile(String source) throws InvalidTemplateException {
        String text = source == null || source.isBlank() ? DEFAULT_TEMPLATE : source;
        WebhookBody compiled = COMPILED.get(text);
        if (compiled != null) {
            return compiled;
        }
        TemplateGuard.check(text);
        try {
            compiled = new WebhookBody(new Template("webhookBodyTemplate", new StringReader(text), ENGINE));
        } catch (ParseException e) {
            throw new InvalidTemplateException(firstLine(e.getEditorMessage()) + at(e.getLineNumber(), e.getColumnNumber()));
        } catch (IOException e) {
            throw new InvalidTemplateException(firstLine(e.getMessage()));
        }
        if (COMPILED.size() >= MAX_COMPILED) {
            COMPILED.clear();   // templates change rarely; starting over keeps the cache bounded
        }
        COMPILED.put(text, compiled);
        return compiled;
    }

    /**
     * Compiles the template and renders it for a sample message, so that an admin learns at once
     * when it fails or gives something that is not JSON.
     */
    public static void check(String source) throws InvalidTemplateException {
        PhoneNumber sample = PhoneNumber.ofStoredE164("+4915123456789");
        String rendered = compile(source).render(new SmsMessage(sample, "123456 is your \"code\"\n@example.org #123456",
                "123456", Duration.ofMinutes(5), Locale.ENGLISH, "realm",
                new SmsMessage.Recipient("id", "o'brien", "o@example.org", "Jo \"J\"", "O'Brien\\")), "+15550000000");
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
        user.put("id", escaped(message.user().id()));
        user.put("username", escaped(message.user().username()));
        user.put("email", escaped(message.user().email()));
        user.put("firstName", escaped(message.user().firstName()));
        user.put("lastName", escaped(message.user().lastName()));
        Map<String, Object> model = new HashMap<>();
        model.put("code", escaped(message.code()));
        model.put("phone", escaped(message.to().e164()));
        model.put("from", escaped(from));
        model.put("message", escaped(message.text()));
        model.put("ttlSeconds", message.ttl().toSeconds());
        model.put("locale", escaped(message.locale().toLanguageTag()));
        model.put("realm", escaped(message.realm()));
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
    private static final String VARIABLES = "code, phone, from, message, ttlSeconds, locale, realm, "
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

    private static String escaped(String value) {
        return value == null ? "" : new String(JsonStringEncoder.getInstance().quoteAsString(value));
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
