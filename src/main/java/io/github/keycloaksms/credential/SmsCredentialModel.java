package io.github.keycloaksms.credential;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.util.JsonSerialization;

import io.github.keycloaksms.phone.PhoneNumber;

/** An enrolled number. The user label is the masked number; the number itself is credential data. */
public class SmsCredentialModel extends CredentialModel {

    public static final String TYPE = "sms";

    /** What is stored as credential data. */
    public record Data(String phone) {
    }

    private final Data data;

    private SmsCredentialModel(Data data) {
        this.data = data;
    }

    public static SmsCredentialModel create(PhoneNumber phone) {
        SmsCredentialModel model = new SmsCredentialModel(new Data(phone.e164()));
        model.setType(TYPE);
        model.setUserLabel(phone.masked());
        model.setCreatedDate(Time.currentTimeMillis());
        model.setSecretData("{}");
        model.setCredentialData(write(model.data));
        return model;
    }

    public static SmsCredentialModel createFromCredentialModel(CredentialModel stored) {
        SmsCredentialModel model = new SmsCredentialModel(read(stored.getCredentialData()));
        model.setId(stored.getId());
        model.setType(stored.getType());
        model.setUserLabel(stored.getUserLabel());
        model.setCreatedDate(stored.getCreatedDate());
        model.setSecretData(stored.getSecretData());
        model.setCredentialData(stored.getCredentialData());
        return model;
    }

    /** The number codes go to; empty for a credential that cannot receive codes. */
    public Optional<PhoneNumber> phone() {
        return Optional.ofNullable(data.phone()).map(PhoneNumber::ofStoredE164);
    }

    private static String write(Data data) {
        try {
            return JsonSerialization.writeValueAsString(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Data read(String json) {
        try {
            return json == null ? new Data(null) : JsonSerialization.readValue(json, Data.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable SMS credential data", e);
        }
    }
}
