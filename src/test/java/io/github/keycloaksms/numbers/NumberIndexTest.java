package io.github.keycloaksms.numbers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Set;

import org.junit.jupiter.api.Test;

import io.github.keycloaksms.phone.PhoneNumbers;

class NumberIndexTest {

    private static final byte[] KEY = new byte[32];
    private static final byte[] OTHER_KEY = new byte[32];

    static {
        KEY[0] = 1;
        OTHER_KEY[0] = 2;
    }

    @Test
    void spellingsOfOneNumberShareTheIndex() throws Exception {
        String index = NumberIndex.of(KEY, PhoneNumbers.parse("+49 151 23456789", null, Set.of()));
        assertEquals(index, NumberIndex.of(KEY, PhoneNumbers.parse("0151/234 567 89", "DE", Set.of())));
        assertEquals(index, NumberIndex.of(KEY, PhoneNumbers.parse("+49 (151) 2345-6789", null, Set.of())));
    }

    @Test
    void theIndexDependsOnTheRealmKeyAndHidesTheNumber() throws Exception {
        var number = PhoneNumbers.parse("+4915123456789", null, Set.of());
        assertNotEquals(NumberIndex.of(KEY, number), NumberIndex.of(OTHER_KEY, number));
        assertNotEquals(NumberIndex.of(KEY, number), NumberIndex.of(KEY, PhoneNumbers.parse("+4915123456788", null, Set.of())));
        assertFalse(NumberIndex.of(KEY, number).contains("23456789"));
        assertEquals(43, NumberIndex.of(KEY, number).length(), "256 bits, base64url without padding");
    }

    @Test
    void anAccountNameGetsAKeyOfItsOwnWhateverItsCase() throws Exception {
        assertEquals(NumberIndex.ofAccountName(KEY, "Alice"), NumberIndex.ofAccountName(KEY, " alice "));
        assertNotEquals(NumberIndex.ofAccountName(KEY, "alice"), NumberIndex.ofAccountName(OTHER_KEY, "alice"));
        assertNotEquals(NumberIndex.ofAccountName(KEY, "+4915123456789"),
                NumberIndex.of(KEY, PhoneNumbers.parse("+4915123456789", null, Set.of())), "a name never collides with a number");
    }
}
