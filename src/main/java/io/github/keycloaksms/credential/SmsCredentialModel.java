package io.github.keycloaksms.credential;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.util.JsonSerialization;

import io.github.keycloaksms.phone.PhoneNumber;

/** An enrolled number. The user label is the masked number, after a name if the user gave one; the number itself is credential data. */
public class SmsCredentialModel extends CredentialModel {

    public static final String TYPE = "sms";

    /**
     * What is stored as credential data: the number (absent in verify-only mode) and its blind index.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Data(String phone, String phoneIndex) {
    }

    private final Data data;

    private SmsCredentialModel(Data data) {
        this.data = data;
    }

    /**
     * @param keepNumber false in verify-only mode: only the index is stored, so the credential
     *                   proves the number was verified but cannot receive codes
     * @param label      the name the user gave the number, or null; the masked number follows it
     */
    public static SmsCredentialModel create(PhoneNumber phone, String phoneIndex, boolean keepNumber, String label) {
        SmsCredentialModel model = new SmsCredentialModel(new Data(keepNumber ? phone.e164() : null, phoneIndex));
        model.setType(TYPE);
        model.setUserLabel(label == null || label.isBlank() ? phone.masked() : label + " (" + phone.masked() + ")");
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

    /** How the number is shown to its owner: its label (the masked number, after the name they gave it), or the masked number. */
    public String displayName() {
        String masked = phone().map(PhoneNumber::masked).orElse("");
        return getUserLabel() == null || !getUserLabel().contains(masked) ? masked : getUserLabel();
    }

    public String phoneIndex() {
        return data.phoneIndex();
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
            return json == null ? new Data(null, null) : JsonSerialization.readValue(json, Data.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable SMS credential data", e);
        }
    }
}
