package io.github.keycloaksms.gateway.twilio;

import java.util.Set;
import java.util.function.Consumer;

import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import com.twilio.type.Twiml;

import io.github.keycloaksms.gateway.CallingGateway;
import io.github.keycloaksms.gateway.GatewayConfig;
import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.gateway.SmsSendException;

/**
 * Sends SMS and WhatsApp messages through Twilio's Messages API, calls through its Calls API, and
 * turns Twilio's error codes into messages users understand.
 */
final class TwilioSmsGateway implements CallingGateway {

    static final String ACCOUNT_SID = "twilioAccountSid";
    static final String AUTH_TOKEN = "twilioAuthToken";
    static final String API_URL = "twilioApiUrl";
    static final String WHATSAPP_CONTENT_SID = "twilioWhatsAppContentSid";
    private static final String WHATSAPP = "whatsapp";
    static final String DEFAULT_API_HOST = "api.twilio.com";
    static final String DEFAULT_API_URL = "https://" + DEFAULT_API_HOST;

    /** Invalid number, not a mobile number, unreachable carrier. */
    private static final Set<Integer> CANNOT_RECEIVE = Set.of(21211, 21614, 21612);
    private static final int REGION_BLOCKED = 21408;
    private static final int OPTED_OUT = 21610;

    @Override
    public void send(SmsMessage message, GatewayConfig config) throws SmsSendException {
        if (WHATSAPP.equals(message.channel())) {
            sendByWhatsApp(message, config);
            return;
        }
        String from = config.from();
        PhoneNumber to = new PhoneNumber(message.to().e164());
        create(message, config, client -> (from != null && from.startsWith("MG")
                ? Message.creator(to, from, message.text())
                : Message.creator(to, new PhoneNumber(String.valueOf(from)), message.text())).create(client));
    }

    /**
     * A WhatsApp message through the same Messages API: {@code whatsapp:} addresses and the approved
     * Content template, with the code as its variable 1.
     */
    private static void sendByWhatsApp(SmsMessage message, GatewayConfig config) throws SmsSendException {
        String contentSid = config.get(WHATSAPP_CONTENT_SID);
        String from = config.from();
        if (contentSid == null) {
            throw SmsSendException.notConfigured("WhatsApp through twilio needs " + WHATSAPP_CONTENT_SID);
        }
        String variables = "{\"1\": \"" + message.code() + "\"}";
        PhoneNumber to = new PhoneNumber(WHATSAPP + ":" + message.to().e164());
        create(message, config, client -> (from != null && from.startsWith("MG")
                ? Message.creator(to, from, (String) null)
                : Message.creator(to, new PhoneNumber(WHATSAPP + ":" + from), (String) null))
                .setContentSid(contentSid).setContentVariables(variables).create(client));
    }

    /** A call through Twilio's Calls API whose TwiML says the text, in the user's language. */
    @Override
    public void call(SmsMessage message, GatewayConfig config) throws SmsSendException {
        String from = config.from();
        if (from != null && !from.startsWith("+")) {
            throw SmsSendException.notConfigured("voice calls need a phone number in E.164 form as sender (from), not " + from);
        }
        Twiml twiml = new Twiml(VoiceTwiml.say(message.text(), message.locale()));
        create(message, config, client -> Call.creator(new PhoneNumber(message.to().e164()), new PhoneNumber(String.valueOf(from)), twiml)
                .create(client));
    }

    private static final TwilioApi.Account ACCOUNT = new TwilioApi.Account(ACCOUNT_SID, AUTH_TOKEN, API_URL, DEFAULT_API_URL);

    private static void create(SmsMessage message, GatewayConfig config, Consumer<TwilioRestClient> request) throws SmsSendException {
        if (config.get(ACCOUNT_SID) == null || config.get(AUTH_TOKEN) == null || config.from() == null) {
            throw SmsSendException.notConfigured("twilio needs twilioAccountSid, twilioAuthToken and from");
        }
        TwilioApi.call(message, config, ACCOUNT, TwilioSmsGateway::classify, client -> {
            request.accept(client);
            return null;
        });
    }

    static SmsSendException classify(ApiException e, Integer httpStatus, SmsMessage message) {
        int status = TwilioApi.status(e, httpStatus);
        int code = e.getCode() == null ? 0 : e.getCode();
        String adminMessage = TwilioApi.adminMessage(e, status, message);
        if (status == 429) {
            return new SmsSendException(SmsSendException.Kind.TRANSIENT, "smsRateLimited", adminMessage);
        }
        if (status >= 500 || status == 0) {
            return new SmsSendException(SmsSendException.Kind.TRANSIENT, SmsSendException.USER_MESSAGE_UNAVAILABLE, adminMessage);
        }
        if (CANNOT_RECEIVE.contains(code)) {
            return new SmsSendException(SmsSendException.Kind.REJECTED, "smsNumberCannotReceive", adminMessage);
        }
        if (code == REGION_BLOCKED) {
            return new SmsSendException(SmsSendException.Kind.REJECTED, "smsRegionBlocked", adminMessage);
        }
        if (code == OPTED_OUT) {
            return new SmsSendException(SmsSendException.Kind.REJECTED, "smsOptedOut", adminMessage);
        }
        if (status == 401 || status == 403 || code == 20003 || code == 20404 || code == 21606 || code == 21603) {
            return new SmsSendException(SmsSendException.Kind.CONFIGURATION, SmsSendException.USER_MESSAGE_UNAVAILABLE,
                    adminMessage + " (check twilioAccountSid, twilioAuthToken and from)");
        }
        return new SmsSendException(SmsSendException.Kind.REJECTED, SmsSendException.USER_MESSAGE_UNAVAILABLE, adminMessage);
    }
}
