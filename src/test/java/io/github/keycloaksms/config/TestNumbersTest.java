package io.github.keycloaksms.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.keycloaksms.gateway.InvalidSettingsException;
import io.github.keycloaksms.phone.PhoneNumber;

class TestNumbersTest {

    @AfterEach
    void forbid() {
        TestNumbers.allow(false);
    }

    private static SmsSettings settings(String testNumbers, List<InvalidSettingsException.Problem> problems) {
        return SmsSettings.parse(Map.of("gateway", "log", "testNumbers", testNumbers), problems);
    }

    @Test
    void pairsOfNumberAndCodeAreRead() {
        List<InvalidSettingsException.Problem> problems = new ArrayList<>();
        SmsSettings settings = settings("+15555550100=123456, +44 7700 900123=87654321", problems);
        assertEquals(List.of(), problems);
        assertEquals(Map.of("+15555550100", "123456", "+447700900123", "87654321"), settings.testNumbers());
    }

    @Test
    void badPairsAreNamed() {
        List<InvalidSettingsException.Problem> problems = new ArrayList<>();
        settings("15555550100=123456,+15555550101=12,+15555550102", problems);
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.stream().allMatch(p -> p.key().equals("testNumbers")));
    }

    @Test
    void theyWorkAndMayBeSavedOnlyWhereTheOperatorAllowsThem() {
        List<InvalidSettingsException.Problem> problems = new ArrayList<>();
        SmsSettings settings = settings("+15555550100=123456", problems);
        PhoneNumber number = PhoneNumber.ofStoredE164("+15555550100");
        assertEquals(Optional.empty(), settings.testCode(number));
        assertEquals(1, TestNumbers.problems(settings).size());
        assertTrue(TestNumbers.problems(settings).get(0).message().contains(TestNumbers.OPTION));

        TestNumbers.allow(true);
        assertEquals(Optional.of("123456"), settings.testCode(number));
        assertEquals(Optional.empty(), settings.testCode(PhoneNumber.ofStoredE164("+15555550199")));
        assertEquals(List.of(), TestNumbers.problems(settings));
    }
}
