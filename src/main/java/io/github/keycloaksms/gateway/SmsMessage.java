package io.github.keycloaksms.gateway;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

import io.github.keycloaksms.phone.PhoneNumber;

/**
 * One code to send: by SMS, read out by a call, or by a messenger. {@link #toString()} leaves out the code and the
 * text. Built with {@link #to(PhoneNumber)}, so that a field added later breaks no gateway's tests.
 */
@PublicApi(unstable = true)
public final class SmsMessage {

    /** The channel of a message built without one. */
    public static final String SMS = "sms";

    private final PhoneNumber to;
    private final String text;
    private final String code;
    private final Duration ttl;
    private final Locale locale;
    private final String realm;
    private final Recipient user;
    private final String channel;
    private final String reportUrl;
    private final String reportTag;

    private SmsMessage(Builder builder) {
        this.to = Objects.requireNonNull(builder.to, "to");
        this.text = builder.text;
        this.code = builder.code;
        this.ttl = builder.ttl;
        this.locale = builder.locale;
        this.realm = builder.realm;
        this.user = builder.user;
        this.channel = builder.channel;
        this.reportUrl = builder.reportUrl;
        this.reportTag = builder.reportTag;
    }

    /** A message to {@code to}; unset fields are empty: no text, no code, no lifetime, English, nobody. */
    public static Builder to(PhoneNumber to) {
        return new Builder(to);
    }

    /** The recipient. */
    public PhoneNumber to() {
        return to;
    }

    /** The full text, in the user's language: the SMS, or what a call reads out. */
    public String text() {
        return text;
    }

    /** The code alone, for gateways whose payload carries it separately. */
    public String code() {
        return code;
    }

    /** How long the code lives. */
    public Duration ttl() {
        return ttl;
    }

    /** The user's language. */
    public Locale locale() {
        return locale;
    }

    /** The realm's name. */
    public String realm() {
        return realm;
    }

    /** Who the code is for, as far as a message template may use them. */
    public Recipient user() {
        return user;
    }

    /**
     * How the message goes: {@value #SMS}, {@code call}, {@code whatsapp} or {@code telegram}, for a
     * gateway that serves several (Twilio sends SMS and WhatsApp messages and makes calls).
     */
    public String channel() {
        return channel;
    }

    /**
     * Where Keycloak takes the provider's delivery reports on this message; empty unless the
     * gateway {@link SmsGatewayFactory#asksForReports asks for them} and Keycloak knows its public
     * URL. {@link SmsGatewayFactory#readReport} reads what arrives there.
     */
    public String reportUrl() {
        return reportUrl;
    }

    /**
     * What the report should bring back (the provider's "payload" or "reference"), at most 128
     * ASCII characters; empty when none.
     */
    public String reportTag() {
        return reportTag;
    }

    /** A builder holding this message's values, to change some of them. */
    public Builder but() {
        return new Builder(to).text(text).code(code).ttl(ttl).locale(locale).realm(realm).user(user).channel(channel)
                .reports(reportUrl, reportTag);
    }

    @Override
    public String toString() {
        return "SmsMessage[to=" + to.masked() + ", realm=" + realm + ", locale=" + locale + "]";
    }

    /** Builds a {@link SmsMessage}. */
    @PublicApi(unstable = true)
    public static final class Builder {
        private final PhoneNumber to;
        private String text = "";
        private String code = "";
        private Duration ttl = Duration.ZERO;
        private Locale locale = Locale.ENGLISH;
        private String realm = "";
        private Recipient user = Recipient.NOBODY;
        private String channel = SMS;
        private String reportUrl = "";
        private String reportTag = "";

        private Builder(PhoneNumber to) {
            this.to = to;
        }

        public Builder text(String text) {
            this.text = text;
            return this;
        }

        public Builder code(String code) {
            this.code = code;
            return this;
        }

        public Builder ttl(Duration ttl) {
            this.ttl = ttl;
            return this;
        }

        public Builder locale(Locale locale) {
            this.locale = locale;
            return this;
        }

        public Builder realm(String realm) {
            this.realm = realm;
            return this;
        }

        public Builder user(Recipient user) {
            this.user = user;
            return this;
        }

        public Builder channel(String channel) {
            this.channel = channel;
            return this;
        }

        /** Where delivery reports go, and the tag they bring back; null for none. */
        public Builder reports(String url, String tag) {
            this.reportUrl = url == null ? "" : url;
            this.reportTag = tag == null ? "" : tag;
            return this;
        }

        public SmsMessage build() {
            return new SmsMessage(this);
        }
    }

    /** The user a code is for, as far as a message template may use them; any of it may be null. */
    @PublicApi(unstable = true)
    public static final class Recipient {

        /** Nobody known yet (phone sign-in before the number's holder is looked up). */
        public static final Recipient NOBODY = new Recipient(null, null, null, null, null);

        private final String id;
        private final String username;
        private final String email;
        private final String firstName;
        private final String lastName;

        private Recipient(String id, String username, String email, String firstName, String lastName) {
            this.id = id;
            this.username = username;
            this.email = email;
            this.firstName = firstName;
            this.lastName = lastName;
        }

        public static Recipient of(String id, String username, String email, String firstName, String lastName) {
            return new Recipient(id, username, email, firstName, lastName);
        }

        public String id() {
            return id;
        }

        public String username() {
            return username;
        }

        public String email() {
            return email;
        }

        public String firstName() {
            return firstName;
        }

        public String lastName() {
            return lastName;
        }
    }
}
