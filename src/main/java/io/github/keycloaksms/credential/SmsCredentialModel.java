package io.github.keycloaksms.credential;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.util.JsonSerialization;

import io.github.keycloaksms.phone.PhoneNumber;

/**
 * An enrolled number. The user label is the masked number, after a name if the user gave one. The
 * number itself is secret data, which no admin or account page shows; the credential data, which
 * the admin console's "Show data" lists, holds only the masked number.
 */
public class SmsCredentialModel extends CredentialModel {

    public static final String TYPE = "sms";

    /**
     * What is stored as secret data: the number (absent in verify-only mode), its blind index,
     * whether it still waits for its owner to prove it (a number an admin added as pending), and
     * whether its owner proved it with a code (not so for one an admin vouched for, or an import).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Data(String phone, String phoneIndex, boolean pending, boolean proved) {
    }

    private final Data data;

    private SmsCredentialModel(Data data) {
        this.data = data;
    }

    /**
     * A number its owner just proved with a code.
     *
     * @param keepNumber false in verify-only mode: only the index is stored, so the credential
     *                   proves the number was verified but cannot receive codes
     * @param label      the name the user gave the number, or null; the masked number follows it
     */
    public static SmsCredentialModel create(PhoneNumber phone, String phoneIndex, boolean keepNumber, String label) {
        return build(new Data(keepNumber ? phone.e164() : null, phoneIndex, false, true), phone, label);
    }

    /** A number an admin vouches for: it receives login codes, but its owner has not proved it with a code. */
    public static SmsCredentialModel createVouched(PhoneNumber phone, String phoneIndex, boolean keepNumber, String label) {
        return build(new Data(keepNumber ? phone.e164() : null, phoneIndex, false, false), phone, label);
    }

    /** A number an admin added for the user to prove at their next login; it receives no login codes until then. */
    public static SmsCredentialModel createPending(PhoneNumber phone, String phoneIndex, String label) {
        return build(new Data(phone.e164(), phoneIndex, true, false), phone, label);
    }

    /** This pending number, now proved by its owner: kept, or only its index in verify-only mode. */
    public SmsCredentialModel confirmed(boolean keepNumber) {
        Data confirmed = new Data(keepNumber ? data.phone() : null, data.phoneIndex(), false, true);
        return rewritten(this, confirmed);
    }

    private static SmsCredentialModel build(Data data, PhoneNumber phone, String label) {
        SmsCredentialModel model = new SmsCredentialModel(data);
        model.setType(TYPE);
        String masked = unbroken(phone.masked());
        model.setUserLabel(label == null || label.isBlank() ? masked : label + " (" + masked + ")");
        model.setCreatedDate(Time.currentTimeMillis());
        model.writeData();
        return model;
    }

    /**
     * Reads a stored number: from the secret data, or, where that holds no number yet, from the
     * credential data, where an import file puts it ({@code {"phone": "+49 ..."}}).
     */
    public static SmsCredentialModel createFromCredentialModel(CredentialModel stored) {
        Data secret = read(stored.getSecretData());
        Data data = secret.phone() != null || secret.phoneIndex() != null ? secret : read(stored.getCredentialData());
        SmsCredentialModel model = copy(stored, data);
        model.setSecretData(stored.getSecretData());
        model.setCredentialData(stored.getCredentialData());
        return model;
    }

    private static SmsCredentialModel copy(CredentialModel stored, Data data) {
        SmsCredentialModel model = new SmsCredentialModel(data);
        model.setId(stored.getId());
        model.setType(stored.getType());
        model.setUserLabel(stored.getUserLabel());
        model.setCreatedDate(stored.getCreatedDate());
        return model;
    }

    /** This credential with other data, written the way this version stores it. */
    private static SmsCredentialModel rewritten(CredentialModel stored, Data data) {
        SmsCredentialModel model = copy(stored, data);
        model.writeData();
        return model;
    }

    private void writeData() {
        setSecretData(write(data));
        setCredentialData(write(new Shown(phone().map(PhoneNumber::masked).orElse(null))));
    }

    /** What the credential data holds: what an admin needs to see of the number. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Shown(String number) {
    }

    /** True when the number was checked and indexed: one a user proved, an admin added, or an import that passed the checks. */
    public boolean isIndexed() {
        return data.phoneIndex() != null;
    }

    /** The number as stored, not necessarily in E.164 when it came from an import file. */
    public String storedPhone() {
        return data.phone();
    }

    /** This credential from an import with its number normalised and indexed: vouched for by whoever imported it, not proved. */
    public SmsCredentialModel indexed(PhoneNumber phone, String phoneIndex) {
        Data indexed = new Data(phone.e164(), phoneIndex, data.pending(), false);
        SmsCredentialModel model = rewritten(this, indexed);
        if (getUserLabel() == null || getUserLabel().isBlank()) {
            model.setUserLabel(unbroken(phone.masked()));
        }
        return model;
    }

    /** This credential without an index: a number from an import that failed the checks, kept for the admin to see; it receives nothing. */
    public SmsCredentialModel refused() {
        Data refused = new Data(data.phone(), null, data.pending(), false);
        return rewritten(this, refused);
    }

    /** True when its owner proved the number with a code; false for one an admin vouched for or an import. */
    public boolean isProved() {
        return data.proved();
    }

    /** True for a number an admin added that its owner has not proved yet. */
    public boolean isPending() {
        return data.pending();
    }

    /** True when the number is proved, kept and indexed (an imported one once it passed the checks), so login codes may go to it. */
    public boolean receivesLoginCodes() {
        return data.phone() != null && data.phoneIndex() != null && !data.pending();
    }

    /** The number codes go to; empty for a credential that cannot receive codes. */
    public Optional<PhoneNumber> phone() {
        try {
            return Optional.ofNullable(data.phone()).map(PhoneNumber::ofStoredE164);
        } catch (IllegalArgumentException e) {
            // an imported value that is no number at all: it receives nothing
            return Optional.empty();
        }
    }

    /** How the number is shown to its owner: its label (the masked number, after the name they gave it), or the masked number. */
    public String displayName() {
        String masked = phone().map(PhoneNumber::masked).orElse("");
        String label = getUserLabel();
        // a label from an import may have plain spaces
        return label != null && (label.contains(unbroken(masked)) || label.contains(masked)) ? label : unbroken(masked);
    }

    /** The masked number with no-break spaces, so that no page (the Account Console's too) breaks it across lines. */
    private static String unbroken(String masked) {
        return masked.replace(' ', '\u00A0');
    }

    public String phoneIndex() {
        return data.phoneIndex();
    }

    private static String write(Object data) {
        try {
            return JsonSerialization.writeValueAsString(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Data read(String json) {
        try {
            return json == null || json.isBlank() ? new Data(null, null, false, false) : JsonSerialization.readValue(json, Data.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable SMS credential data", e);
        }
    }
}
