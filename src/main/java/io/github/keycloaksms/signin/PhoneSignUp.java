package io.github.keycloaksms.signin;

import java.util.Optional;

import org.keycloak.common.util.SecretGenerator;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.UserModel;

import io.github.keycloaksms.credential.SmsCredentialModel;
import io.github.keycloaksms.credential.SmsCredentialProvider;
import io.github.keycloaksms.flow.AfterResponse;
import io.github.keycloaksms.flow.CodeStep;
import io.github.keycloaksms.numbers.EnrolledNumbers;
import io.github.keycloaksms.phone.PhoneNumber;

/**
 * Creates an account for a proved number nobody holds: the number is its SMS credential, its
 * username is generated (never the number, which would then show in Keycloak's registration form,
 * tokens, events and logs), and Keycloak's profile form asks for the rest; in a realm with email as
 * username, the email the form asks for becomes the username. Only now, with the number proved,
 * may the visitor learn that it is taken.
 */
final class PhoneSignUp {

    private static final String USERNAME_PREFIX = "phone-";
    private static final char[] USERNAME_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final int USERNAME_RANDOM_LENGTH = 12;

    private PhoneSignUp() {
    }

    /** The new account; empty when the number is taken (recorded as an event). */
    static Optional<UserModel> create(CodeStep step, PhoneNumber phone) {
        String index = step.index(phone);
        EnrolledNumbers numbers = step.numbers();
        boolean taken = step.settings().uniqueNumbers() && (!numbers.reserve(index) || numbers.heldByAnyone(index));
        if (taken) {
            step.event().clone().detail(AfterResponse.NUMBER_DETAIL, phone.masked())
                    .detail(Details.REASON, "sms_number_in_use").error(Errors.INVALID_REGISTRATION);
            return Optional.empty();
        }
        UserModel user = step.session().users().addUser(step.realm(), freeUsername(step));
        user.setEnabled(true);
        SmsCredentialProvider.of(step.session()).createCredential(step.realm(), user, SmsCredentialModel.create(phone, index, true, null));
        numbers.remember(user, index);
        user.addRequiredAction(profileAction(step.realm()));
        step.event().clone().event(EventType.REGISTER).user(user).detail(Details.REGISTER_METHOD, "sms")
                .detail(AfterResponse.NUMBER_DETAIL, phone.masked()).success();
        return Optional.of(user);
    }

    /** A random username nobody has: 36^12 names, so a second try is all but never needed. */
    private static String freeUsername(CodeStep step) {
        String username;
        do {
            username = USERNAME_PREFIX + SecretGenerator.getInstance().randomString(USERNAME_RANDOM_LENGTH, USERNAME_CHARACTERS);
        } while (step.session().users().getUserByUsername(step.realm(), username) != null);
        return username;
    }

    /** Keycloak's "Verify profile" asks only for what the profile lacks; realms without it get "Update profile". */
    private static UserModel.RequiredAction profileAction(RealmModel realm) {
        RequiredActionProviderModel verify = realm.getRequiredActionProviderByAlias(UserModel.RequiredAction.VERIFY_PROFILE.name());
        return verify != null && verify.isEnabled() ? UserModel.RequiredAction.VERIFY_PROFILE : UserModel.RequiredAction.UPDATE_PROFILE;
    }
}
