package io.github.keycloaksms.gateway.webhook;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;

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
 * down engine (no {@code ?new}, no {@code ?api}, no includes, only maps, strings and numbers).
 */
public final class WebhookBody {

    /** authentik's generic SMS body, so that existing receivers keep working. */
    public static final String DEFAULT_TEMPLATE =
            "{\"From\": \"${from}\", \"To\": \"${phone}\", \"Body\": \"${code}\", \"Message\": \"${message}\"}";

    private static final Configuration ENGINE = engine();
    private static final ObjectMapper JSON = new ObjectMapper();

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
        try {
            compiled = new WebhookBody(new Template("webhookBodyTemplate", new StringReader(text), ENGINE));
        } catch (IOException e) {
            throw new InvalidTemplateException(e.getMessage());
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
            throw new InvalidTemplateException("the rendered body is not JSON: " + e.getOriginalMessage());
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
        StringWriter out = new StringWriter();
        try {
            template.process(model, out);
        } catch (TemplateException | IOException e) {
            throw new InvalidTemplateException(firstLine(e.getMessage()));
        }
        return out.toString();
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
