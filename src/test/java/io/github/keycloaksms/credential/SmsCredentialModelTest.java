package io.github.keycloaksms.credential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.keycloak.credential.CredentialModel;

import io.github.keycloaksms.phone.PhoneNumber;
import io.github.keycloaksms.phone.PhoneNumbers;

class SmsCredentialModelTest {

    @Test
    void aPendingNumberReceivesNoLoginCodesUntilConfirmed() throws Exception {
        PhoneNumber phone = PhoneNumbers.parse("+49 151 23456789", null, Set.of());
        SmsCredentialModel pending = stored(SmsCredentialModel.createPending(phone, "index", "Desk"));
        assertTrue(pending.isPending());
        assertFalse(pending.isProved());
        assertFalse(pending.receivesLoginCodes());
        assertEquals(Optional.of(phone), pending.phone(), "the number is kept for the code that confirms it");

        SmsCredentialModel confirmed = stored(pending.confirmed(true));
        assertFalse(confirmed.isPending());
        assertTrue(confirmed.isProved(), "proved with the code that confirmed it");
        assertTrue(confirmed.receivesLoginCodes());
        assertEquals("Desk (+49\u00A0•••\u00A0••••\u00A089)", confirmed.getUserLabel(), "the masked number never breaks across lines");
        assertEquals("index", confirmed.phoneIndex());

        SmsCredentialModel verifyOnly = stored(pending.confirmed(false));
        assertEquals(Optional.empty(), verifyOnly.phone(), "verify-only keeps the index alone");
        assertEquals("index", verifyOnly.phoneIndex());
    }

    @Test
    void theCredentialDataShowsOnlyTheMaskedNumberAndVerifyOnlyKeepsNoNumberAtAll() throws Exception {
        PhoneNumber phone = PhoneNumbers.parse("+49 151 23456789", null, Set.of());
        SmsCredentialModel kept = stored(SmsCredentialModel.create(phone, "index", true, "Desk"));
        assertEquals("{\"number\":\"+49 ••• •••• 89\"}", kept.getCredentialData(), "what the admin console's Show data lists");
        assertTrue(kept.getSecretData().contains("+4915123456789"));
        assertEquals(Optional.of(phone), kept.phone());

        SmsCredentialModel verifyOnly = stored(SmsCredentialModel.create(phone, "index", false, null));
        assertEquals("{}", verifyOnly.getCredentialData());
        assertFalse(verifyOnly.getSecretData().contains("23456789"), verifyOnly.getSecretData());
        assertEquals("index", verifyOnly.phoneIndex());
    }

    @Test
    void aNumberAnAdminVouchedForReceivesCodesButIsNotProved() throws Exception {
        PhoneNumber phone = PhoneNumbers.parse("+49 151 23456789", null, Set.of());
        SmsCredentialModel vouched = stored(SmsCredentialModel.createVouched(phone, "index", true, null));
        assertTrue(vouched.receivesLoginCodes());
        assertFalse(vouched.isProved());
        assertTrue(stored(SmsCredentialModel.create(phone, "index", true, null)).isProved(), "enrolled with a code");
        assertFalse(stored(vouched.indexed(phone, "index")).isProved(), "an import is vouched for by whoever imported it");
    }

    @Test
    void credentialDataWithoutFlagsReceivesLoginCodesAsVouchedFor() {
        CredentialModel old = new CredentialModel();
        old.setType(SmsCredentialModel.TYPE);
        old.setCredentialData("{\"phone\":\"+4915123456789\",\"phoneIndex\":\"index\"}");
        assertTrue(SmsCredentialModel.createFromCredentialModel(old).receivesLoginCodes());
        assertFalse(SmsCredentialModel.createFromCredentialModel(old).isProved());
    }

    @Test
    void anImportedNumberReceivesNothingUntilItIsIndexed() throws Exception {
        CredentialModel imported = new CredentialModel();
        imported.setType(SmsCredentialModel.TYPE);
        imported.setCredentialData("{\"phone\":\"+49 (151) 234-56789\"}");
        SmsCredentialModel number = SmsCredentialModel.createFromCredentialModel(imported);
        assertFalse(number.isIndexed());
        assertFalse(number.receivesLoginCodes());

        PhoneNumber phone = PhoneNumbers.parse(number.storedPhone(), null, Set.of());
        SmsCredentialModel indexed = stored(number.indexed(phone, "index"));
        assertTrue(indexed.receivesLoginCodes());
        assertEquals("+4915123456789", indexed.storedPhone());
        assertEquals("+49\u00A0•••\u00A0••••\u00A089", indexed.getUserLabel());

        SmsCredentialModel refused = stored(indexed.refused());
        assertFalse(refused.receivesLoginCodes(), "a number that failed the checks");
        assertEquals("+4915123456789", refused.storedPhone(), "kept for the admin to see");

        imported.setCredentialData("{\"phone\":\"not a number\"}");
        assertEquals(Optional.empty(), SmsCredentialModel.createFromCredentialModel(imported).phone());
    }

    /** As the database gives it back. */
    private static SmsCredentialModel stored(SmsCredentialModel model) {
        CredentialModel row = new CredentialModel();
        row.setType(model.getType());
        row.setUserLabel(model.getUserLabel());
        row.setCredentialData(model.getCredentialData());
        row.setSecretData(model.getSecretData());
        return SmsCredentialModel.createFromCredentialModel(row);
    }
}
