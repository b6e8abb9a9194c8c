package io.github.keycloaksms.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.phone.PhoneNumber;

class WebhookBodyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SmsMessage MESSAGE = SmsMessage.to(PhoneNumber.ofStoredE164("+4915123456789")).text("123456 is your code.\n\n@id.example.org #123456").code("123456")
            .ttl(Duration.ofMinutes(5)).locale(Locale.GERMANY).realm("acme")
            .user(SmsMessage.Recipient.of("u-1", "jo", "jo@example.org", "Jo \"The Hammer\"\nline two", "O'Brien \\ </script>")).build();

    private static JsonNode render(String template) throws Exception {
        return JSON.readTree(WebhookBody.compile(template, WebhookBody.Format.JSON).render(MESSAGE, "+15550001111"));
    }

    @Test
    void theDefaultBodyHasAuthentiksFourKeys() throws Exception {
        JsonNode body = render(null);
        assertEquals(4, body.size());
        assertEquals("+15550001111", body.get("From").asText());
        assertEquals("+4915123456789", body.get("To").asText());
        assertEquals("123456", body.get("Body").asText());
        assertEquals(MESSAGE.text(), body.get("Message").asText());
    }

    @Test
    void aCustomTemplateSeesEveryVariable() throws Exception {
        JsonNode body = render("{\"to\": \"${phone}\", \"text\": \"${message}\", \"otp\": \"${code}\", \"ttl\": ${ttlSeconds}, "
                + "\"lang\": \"${locale}\", \"realm\": \"${realm}\", \"user\": {\"id\": \"${user.id}\", \"name\": \"${user.username}\", "
                + "\"mail\": \"${user.email}\", \"first\": \"${user.firstName}\", \"last\": \"${user.lastName}\"}}");
        assertEquals(300, body.get("ttl").asInt());
        assertEquals("de-DE", body.get("lang").asText());
        assertEquals("acme", body.get("realm").asText());
        assertEquals("123456", body.get("otp").asText());
        assertEquals("jo@example.org", body.get("user").get("mail").asText());
    }

    @Test
    void valuesAreJsonEscaped() throws Exception {
        JsonNode body = render("{\"first\": \"${user.firstName}\", \"last\": \"${user.lastName}\"}");
        assertEquals("Jo \"The Hammer\"\nline two", body.get("first").asText());
        assertEquals("O'Brien \\ </script>", body.get("last").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<#assign ex = \"freemarker.template.utility.Execute\"?new()>{\"x\": \"${ex(\"id\")}\"}",
            "{\"x\": \"${realm?api.getClass().getName()}\"}",
            "<#include \"/etc/passwd\">{}",
            "{\"x\": \"${nosuchvariable}\"}"})
    void dangerousOrBrokenTemplatesAreRefused(String template) {
        WebhookBody.InvalidTemplateException e = assertThrows(WebhookBody.InvalidTemplateException.class, () -> WebhookBody.check(template, WebhookBody.Format.JSON));
        assertTrue(!e.getMessage().isBlank());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<#assign s='xxxxxxxx'><#list 1..27 as _><#assign s=s+s></#list>${s}",
            "<#list 1..2147483647 as i></#list>",
            "{\"x\": \"${'x'?left_pad(2000000000)}\"}",
            "{\"x\": \"${(1..2147483647)?join(',')}\"}",
            "<#macro m><@m/></#macro><@m/>",
            "[#list 1..9 as i][/#list]{}",
            "#{1000000000; m2}{}",
            "{\"x\": \"${\"${code}\"}\"}"})
    void templatesThatCouldHurtTheServerAreRefusedAtOnce(String template) {
        long start = System.nanoTime();
        WebhookBody.InvalidTemplateException e = assertThrows(WebhookBody.InvalidTemplateException.class, () -> WebhookBody.check(template, WebhookBody.Format.JSON));
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "took too long");
        assertTrue(e.getMessage().contains("line 1, column"), e.getMessage());
    }

    @Test
    void conditionsAndSafeBuiltInsAreAllowed() throws Exception {
        JsonNode body = render("{<#if user.email?has_content>\"mail\": \"${user.email?lower_case}\", </#if>"
                + "<#if locale == \"de-DE\">\"lang\": \"de\"<#elseif realm??>\"lang\": \"other\"<#else>\"lang\": \"?\"</#if>}");
        assertEquals("jo@example.org", body.get("mail").asText());
        assertEquals("de", body.get("lang").asText());
    }

    @Test
    void aMissingVariableIsNamedWithItsPlace() {
        WebhookBody.InvalidTemplateException e = assertThrows(WebhookBody.InvalidTemplateException.class,
                () -> WebhookBody.check("{\"to\": \"${phone}\",\n \"x\": \"${user.nickname}\"}", WebhookBody.Format.JSON));
        assertTrue(e.getMessage().startsWith("user.nickname is not a variable of the message (line 2, column"), e.getMessage());
    }

    @Test
    void longTemplatesAndLongBodiesAreRefused() {
        assertThrows(WebhookBody.InvalidTemplateException.class, () -> WebhookBody.check("{\"x\": \"" + "a".repeat(5000) + "\"}", WebhookBody.Format.JSON));
        String manyMessages = "{\"x\": \"" + "${message}".repeat(200) + "\"}";
        WebhookBody.InvalidTemplateException e = assertThrows(WebhookBody.InvalidTemplateException.class, () -> WebhookBody.check(manyMessages, WebhookBody.Format.JSON));
        assertTrue(e.getMessage().contains("longer than"), e.getMessage());
    }

    @Test
    void aTemplateThatDoesNotCompileIsRefusedWithTheReason() {
        WebhookBody.InvalidTemplateException e = assertThrows(WebhookBody.InvalidTemplateException.class,
                () -> WebhookBody.check("{\"to\": \"${phone\"}", WebhookBody.Format.JSON));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void aTemplateThatIsNotJsonIsRefused() {
        WebhookBody.InvalidTemplateException e = assertThrows(WebhookBody.InvalidTemplateException.class,
                () -> WebhookBody.check("to=${phone}&text=${message}", WebhookBody.Format.JSON));
        assertTrue(e.getMessage().startsWith("the rendered body is not JSON"), e.getMessage());
    }
}
