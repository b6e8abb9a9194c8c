package io.github.keycloaksms.enrollment;

import java.util.Optional;

import org.keycloak.models.UserModel;

import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.credential.SmsCredentialModel;
import io.github.keycloaksms.credential.SmsCredentialProvider;
import io.github.keycloaksms.flow.SmsPage;

/**
 * A number that waits for its owner to prove it with a code: one an admin added as pending, or,
 * for a user with no number yet, the one in the profile attribute the settings name. Neither is
 * ever used unproved; a later change of the attribute changes nothing.
 *
 * @param pending      the admin's pending number, shown by its label and masked; null for a profile number
 * @param profileValue the profile attribute's value as it is, to pre-fill the field; null for a pending number
 */
record NumberToConfirm(SmsPage.Choice pending, String profileValue) {

    static Optional<NumberToConfirm> of(SmsCredentialProvider credentials, UserModel user, SmsSettings settings) {
        Optional<SmsCredentialModel> pending = credentials.storedCredentials(user).filter(number -> number.isPending() && number.isIndexed()).findFirst();
        if (pending.isPresent()) {
            // the admin's name for the number, if they gave one, with the masked number
            return Optional.of(new NumberToConfirm(new SmsPage.Choice(pending.get().getId(), pending.get().displayName()), null));
        }
        String attribute = settings.phoneAttribute();
        if (attribute == null || credentials.storedCredentials(user).findAny().isPresent()) {
            return Optional.empty();
        }
        String value = user.getFirstAttribute(attribute);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(new NumberToConfirm(null, value.strip()));
    }
}
