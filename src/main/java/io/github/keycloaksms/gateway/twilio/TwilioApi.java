package io.github.keycloaksms.gateway.twilio;

import java.net.URI;
import java.util.function.Function;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;

import io.github.keycloaksms.gateway.GatewayConfig;
import io.github.keycloaksms.gateway.GatewayHttp;
import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.gateway.SmsSendException;
import io.github.keycloaksms.gateway.http.Redaction;
import io.github.keycloaksms.gateway.http.ServiceUrl;

/** One request to one of Twilio's APIs through twilio-java, made by our HTTP client (see {@link TwilioHttpAdapter}). */
final class TwilioApi {

    /** Where a gateway keeps its account: the keys of its SID, token and API URL, and the URL by default. */
    record Account(String sidKey, String tokenKey, String urlKey, String defaultUrl) {
    }

    /** Turns Twilio's error answer (with the HTTP status, when one came) into a failure for the user and the admin. */
    interface Refusals {
        SmsSendException classify(ApiException e, Integer httpStatus, SmsMessage message);
    }

    private TwilioApi() {
    }

    /**
     * Makes {@code request} with the account's credentials against its API URL, under the
     * operator's outbound policy.
     *
     * @param message what the request is about, so that failures can leave out its code and number
     */
    static <T> T call(SmsMessage message, GatewayConfig config, Account account, Refusals refusals,
            Function<TwilioRestClient, T> request) throws SmsSendException {
        String accountSid = config.get(account.sidKey());
        String authToken = config.get(account.tokenKey());
        if (accountSid == null || authToken == null) {
            throw SmsSendException.notConfigured("needs " + account.sidKey() + " and " + account.tokenKey());
        }
        URI apiUrl;
        try {
            apiUrl = config.http().check(ServiceUrl.of(config, account.urlKey(), account.defaultUrl()));
        } catch (GatewayHttp.Refused e) {
            throw SmsSendException.notConfigured(account.urlKey() + " " + e.getMessage());
        }
        TwilioHttpAdapter adapter = new TwilioHttpAdapter(config.http(), apiUrl);
        TwilioRestClient client = new TwilioRestClient.Builder(accountSid, authToken).accountSid(accountSid).httpClient(adapter).build();
        try {
            return request.apply(client);
        } catch (ApiConnectionException e) {
            if (adapter.refusal() != null) {
                throw SmsSendException.notConfigured(account.urlKey() + " " + adapter.refusal().getMessage());
            }
            throw new SmsSendException(SmsSendException.Kind.TRANSIENT, SmsSendException.USER_MESSAGE_UNAVAILABLE,
                    Redaction.excerpt(message, e.getMessage()));
        } catch (ApiException e) {
            throw refusals.classify(e, adapter.lastStatus(), message);
        }
    }

    /** The HTTP status of Twilio's error answer: as it came, else as twilio-java read it; 0 when none. */
    static int status(ApiException e, Integer httpStatus) {
        return httpStatus != null ? httpStatus : e.getStatusCode() == null ? 0 : e.getStatusCode();
    }

    /** What the admin reads of Twilio's error answer, without the message's code and number. */
    static String adminMessage(ApiException e, int status, SmsMessage message) {
        int code = e.getCode() == null ? 0 : e.getCode();
        return "Twilio answered " + status + (code == 0 ? "" : " with error " + code) + ": " + Redaction.excerpt(message, e.getMessage());
    }
}
