package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.representations.idm.ComponentExportRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.github.keycloaksms.gateway.telegram.FakeTelegramGateway;
import io.github.keycloaksms.gateway.twilio.FakeTwilio;

/** Enrollment and login in a real browser, JavaScript on, as a user sees them. */
class ChromiumIT {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private static final SmsLog sms = new SmsLog(KeycloakServer.shared());
    private static TestRealm realm;
    private static WebDriver driver;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute(),
                "Chromium browser test skipped: install the Debian packages chromium and chromium-driver to run it");
        realm = TestRealm.create("chromium", r -> TestRealm.withPhoneSignIn(r, KeycloakServer.shared(), false));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--no-first-run", "--disable-component-update", "--disable-sync",
                "--window-size=1024,900", "--user-data-dir=" + Files.createTempDirectory("chromium-it"));
        driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).build(), options);
        driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (realm != null) {
            realm.delete();
        }
    }

    @Test
    void enrollAndLogInThroughThePagesWithTheKeyboardOnly() throws IOException {
        realm.createUser("chromium-user");
        forgetTheSession();
        driver.get(realm.authUrl());
        driver.findElement(By.id("username")).sendKeys("chromium-user");
        submit(driver.findElement(By.id("password")), TestRealm.PASSWORD);

        assertEquals("phone", driver.switchTo().activeElement().getAttribute("id"), "the number field has the focus");
        assertEquals("phone", driver.findElement(By.cssSelector("label[for=phone]")).getAttribute("for"));
        driver.findElement(By.id("phone")).sendKeys("+49 151 30000011");
        screenshots("login-sms-phone");
        int mark = sms.mark();
        submit(driver.switchTo().activeElement(), "");

        String code = sms.awaitCode(mark, "11");
        assertEquals("code", driver.switchTo().activeElement().getAttribute("id"), "the code field has the focus");
        assertTrue(driver.findElement(By.id("kc-sms-sent-to")).getText().contains("+49 151 30000011"),
                "the number just typed, in full, so that a typo shows");
        String resend = driver.findElement(By.id("kc-sms-resend")).getText();
        assertTrue(resend.matches("Send a new code in \\d+ s"), resend);
        assertFalse(driver.findElement(By.id("kc-sms-resend")).isEnabled(), "the resend button waits for its countdown");
        KeycloakServer.sleep(Duration.ofMillis(1500));
        assertFalse(resend.equals(driver.findElement(By.id("kc-sms-resend")).getText()), "the countdown runs");

        submit(driver.switchTo().activeElement(), Steps.wrong(code));
        WebElement field = driver.findElement(By.id("code"));
        assertEquals("true", field.getAttribute("aria-invalid"));
        assertEquals("kc-sms-sent-to input-error-code", field.getAttribute("aria-describedby"),
                "screen readers read where the code went and the error with the field");
        for (String id : field.getAttribute("aria-describedby").split(" ")) {
            assertTrue(driver.findElement(By.id(id)).isDisplayed(), id);
        }
        assertTrue(driver.findElement(By.xpath("//input[@id='code']/following-sibling::span//i[@aria-hidden='true']")).isDisplayed(),
                "Keycloak's error icon in the field, as on its OTP form");
        assertTrue(driver.findElement(By.id("input-error-code")).getText().startsWith("That code is not right."));
        screenshots("login-sms-code");

        submit(driver.switchTo().activeElement(), code);
        assertTrue(driver.getCurrentUrl().startsWith(TestRealm.REDIRECT_URI), driver.getCurrentUrl());

        forgetTheSession();
        mark = sms.mark();
        driver.get(realm.authUrl());
        driver.findElement(By.id("username")).sendKeys("chromium-user");
        submit(driver.findElement(By.id("password")), TestRealm.PASSWORD);
        submit(driver.switchTo().activeElement(), sms.awaitCode(mark, "11"));
        assertTrue(driver.getCurrentUrl().startsWith(TestRealm.REDIRECT_URI), driver.getCurrentUrl());
        assertEquals(1, realm.smsCredentials(realm.admin().userId(realm.name(), "chromium-user")).size());
    }

    @Test
    void signInWithAPhoneNumber() throws IOException {
        Steps.enrolledUser(realm, sms, "chromium-phone", "+49 151 30000071", "71");
        forgetTheSession();
        driver.get(realm.phoneAuthUrl());
        assertEquals("Sign in with your mobile number", driver.findElement(By.id("kc-page-title")).getText().strip());
        assertEquals("phone", driver.switchTo().activeElement().getAttribute("id"), "the number field has the focus");
        assertTrue(driver.findElements(By.id("label")).isEmpty(), "no name for the number at sign-in");
        driver.findElement(By.id("phone")).sendKeys("+49 151 30000071");
        screenshots("phone-sign-in");
        int mark = sms.mark();
        submit(driver.switchTo().activeElement(), "");

        assertEquals("code", driver.switchTo().activeElement().getAttribute("id"), "the code field has the focus");
        assertEquals("If " + Steps.forReading("+4915130000071") + " can sign in here, we have sent it a code by SMS.",
                driver.findElement(By.id("kc-sms-sent-to")).getText());
        assertTrue(driver.findElement(By.id("kc-sms-change-number")).isDisplayed(), "the visitor can correct the number");
        submit(driver.switchTo().activeElement(), sms.awaitCode(mark, "71"));
        assertTrue(driver.getCurrentUrl().startsWith(TestRealm.REDIRECT_URI), driver.getCurrentUrl());
        forgetTheSession();
    }

    @Test
    void aThirdCodeForOneNumberWaitsAMinuteCountedDownOnTheResendButton() {
        TestRealm backoff = TestRealm.create("chromium-backoff", r -> {
            TestRealm.withPhoneSignIn(r, KeycloakServer.shared(), false);
            TestRealm.smsConfig(r).put("resendCooldown", "0");
        });
        try {
            forgetTheSession();
            driver.get(backoff.phoneAuthUrl());
            driver.findElement(By.id("phone")).sendKeys("+49 151 30000081");
            submit(driver.switchTo().activeElement(), "");
            assertTrue(driver.findElement(By.id("kc-sms-resend")).isEnabled(), "the second code may go at once");
            driver.findElement(By.id("kc-sms-resend")).click();
            WebElement resend = driver.findElement(By.id("kc-sms-resend"));
            String waiting = resend.getText();
            assertTrue(waiting.matches("Send a new code in (59|60) s"), waiting);
            assertFalse(resend.isEnabled(), "the third code waits for the countdown");
            KeycloakServer.sleep(Duration.ofMillis(1500));
            assertFalse(waiting.equals(driver.findElement(By.id("kc-sms-resend")).getText()), "the countdown runs");
        } finally {
            forgetTheSession();
            backoff.delete();
        }
    }

    @Test
    void callMeInsteadAfterTheFirstSms() throws IOException {
        try (FakeTwilio twilio = new FakeTwilio()) {
            TestRealm voice = TestRealm.create("chromium-voice", r -> TestRealm.smsConfig(r).putAll(Map.of("gateway", "twilio",
                    "from", "+15005550006", "twilioAccountSid", "AC00000000000000000000000000000000", "twilioAuthToken", "token-1",
                    "twilioApiUrl", twilio.url(), "voiceEnabled", "true", "resendCooldown", "0")));
            try {
                voice.createUser("chromium-caller");
                driver.manage().deleteAllCookies();
                driver.get(voice.authUrl());
                driver.findElement(By.id("username")).sendKeys("chromium-caller");
                submit(driver.findElement(By.id("password")), TestRealm.PASSWORD);
                submit(driver.findElement(By.id("phone")), "+49 151 30000081");
                assertTrue(twilio.received().get(0).path().endsWith("/Messages.json"), "first an SMS");

                WebElement leaving = driver.findElement(By.tagName("html"));
                driver.findElement(By.id("kc-sms-call")).click();
                new WebDriverWait(driver, Duration.ofSeconds(15)).until(ExpectedConditions.stalenessOf(leaving));
                assertEquals("We are calling +49 151 30000081 to read you the code.", driver.findElement(By.id("kc-sms-sent-to")).getText());
                assertEquals("code", driver.switchTo().activeElement().getAttribute("id"), "the code field has the focus");
                screenshots("login-sms-call");
                String twiml = twilio.received().get(1).form().get("Twiml");
                String code = twiml.replaceAll(".*: ((?:\\d, ){5}\\d)\\..*", "$1").replace(", ", "");
                submit(driver.switchTo().activeElement(), code);
                assertTrue(driver.getCurrentUrl().startsWith(TestRealm.REDIRECT_URI), driver.getCurrentUrl());
            } finally {
                driver.manage().deleteAllCookies();
                voice.delete();
            }
        }
    }

    @Test
    void sendBySmsInsteadAfterATelegramCode() throws IOException {
        try (FakeTelegramGateway telegram = new FakeTelegramGateway()) {
            TestRealm channels = TestRealm.create("chromium-channels", r -> {
                TestRealm.smsConfig(r).putAll(Map.of("channels", "telegram=tg##sms", "resendCooldown", "0"));
                MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
                config.putSingle("kind", "telegram");
                config.putSingle("telegramToken", "tg-token-1");
                config.putSingle("telegramApiUrl", telegram.url());
                ComponentExportRepresentation gateway = new ComponentExportRepresentation();
                gateway.setName("tg");
                gateway.setProviderId("sms-gateway");
                gateway.setConfig(config);
                MultivaluedHashMap<String, ComponentExportRepresentation> components = new MultivaluedHashMap<>();
                components.add(GatewayInstancesIT.TYPE, gateway);
                r.setComponents(components);
            });
            try {
                channels.createUser("chromium-telegram");
                driver.manage().deleteAllCookies();
                driver.get(channels.authUrl());
                driver.findElement(By.id("username")).sendKeys("chromium-telegram");
                submit(driver.findElement(By.id("password")), TestRealm.PASSWORD);
                submit(driver.findElement(By.id("phone")), "+49 151 30000082");
                assertEquals("We sent a code by Telegram to +49 151 30000082.", driver.findElement(By.id("kc-sms-sent-to")).getText());
                screenshots("login-sms-channels");

                int mark = sms.mark();
                WebElement leaving = driver.findElement(By.tagName("html"));
                driver.findElement(By.id("kc-sms-channel-sms")).click();
                new WebDriverWait(driver, Duration.ofSeconds(15)).until(ExpectedConditions.stalenessOf(leaving));
                assertEquals("We sent a code by SMS to +49 151 30000082.", driver.findElement(By.id("kc-sms-sent-to")).getText());
                assertEquals("Send by Telegram instead", driver.findElement(By.id("kc-sms-channel-telegram")).getText());
                assertEquals("code", driver.switchTo().activeElement().getAttribute("id"), "the code field has the focus");
                submit(driver.switchTo().activeElement(), sms.awaitCode(mark, "82"));
                assertTrue(driver.getCurrentUrl().startsWith(TestRealm.REDIRECT_URI), driver.getCurrentUrl());
            } finally {
                driver.manage().deleteAllCookies();
                channels.delete();
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"en, SMS code, Set up SMS code, Add another mobile number, Delete, 61",
                "de, SMS-Code, SMS-Code einrichten, Weitere Mobilnummer hinzufügen, Löschen, 62"})
    void theAccountConsoleShowsNamedNumbersAndAddsAndRemovesThem(String language, String type, String setUp, String addAnother,
                                                                String delete, String digits) throws IOException {
        String username = "console-" + language;
        String userId = realm.createUser(username);
        UserRepresentation withLocale = new UserRepresentation();
        withLocale.setAttributes(Map.of("locale", List.of(language)));
        assertEquals(204, realm.admin().put(realm.path("/users/" + userId), withLocale).status());

        forgetTheSession();
        driver.get(KeycloakServer.BASE_URL + "/realms/" + realm.name() + "/account/account-security/signing-in");
        WebDriverWait console = consoleWait(Duration.ofSeconds(20));
        console.withMessage(() -> driver.getCurrentUrl() + "\n" + driver.findElement(By.tagName("body")).getText())
                .until(d -> !d.findElements(By.id("username")).isEmpty());
        driver.findElement(By.id("username")).sendKeys(username);
        submit(driver.findElement(By.id("password")), TestRealm.PASSWORD);
        driver.findElement(By.id("label")).sendKeys("Work phone");
        int mark = sms.mark();
        submit(driver.findElement(By.id("phone")), "+49 151 300000" + digits);
        submit(driver.findElement(By.id("code")), sms.awaitCode(mark, digits));

        console.until(d -> text(d).contains("Work phone (+49 ••• •••• " + digits + ")"));
        String page = driver.findElement(By.tagName("body")).getText();
        assertTrue(page.contains(type) && page.contains(setUp), "the type by its translated name: " + page);
        screenshots("account-console-" + language);

        driver.findElement(By.xpath("//*[normalize-space(text())='" + setUp + "']")).click();
        console.until(d -> d.findElements(By.id("phone")).size() == 1);
        assertEquals(addAnother, driver.findElement(By.id("kc-page-title")).getText().strip());
        mark = sms.mark();
        submit(driver.findElement(By.id("phone")), "+43 664 30000" + digits);
        submit(driver.findElement(By.id("code")), sms.awaitCode(mark, digits));
        console.until(d -> text(d).contains("+43 ••• •••• " + digits));
        assertEquals(2, realm.smsCredentials(userId).size());

        String second = Steps.unbroken("+43 ••• •••• " + digits);
        driver.findElement(By.xpath("//*[contains(text(), '" + second + "')]/ancestor::*[.//button[normalize-space(.)='"
                + delete + "']][1]//button[normalize-space(.)='" + delete + "']")).click();
        console.until(d -> !d.findElements(By.id("kc-accept")).isEmpty()
                || !d.findElements(By.xpath("//button[normalize-space(.)='" + delete + "' and ancestor::*[@role='dialog']]")).isEmpty());
        assertTrue(((String) ((JavascriptExecutor) driver).executeScript("return document.body.textContent")).contains(second),
                "the confirmation keeps the masked number on one line (no-break spaces)");
        if (!driver.findElements(By.id("kc-accept")).isEmpty()) {
            driver.findElement(By.id("kc-accept")).click();
        } else {
            driver.findElement(By.xpath("//button[normalize-space(.)='" + delete + "' and ancestor::*[@role='dialog']]")).click();
        }
        console.until(d -> text(d).contains("Work phone (+49 ••• •••• " + digits + ")") && !text(d).contains("+43 ••• •••• " + digits));
        assertEquals(1, realm.smsCredentials(userId).size());
        forgetTheSession();
    }

    @Test
    void theAdminConsoleShowsTheMaskedNumberAndNothingElseOfOurs() {
        String userId = Steps.enrolledUser(realm, sms, "console-admin-view", "+49 151 30000081", "81");
        driver.get(KeycloakServer.BASE_URL + "/admin/master/console/#/" + realm.name() + "/users/" + userId + "/credentials");
        WebDriverWait console = consoleWait(Duration.ofSeconds(30));
        console.withMessage(() -> driver.getCurrentUrl() + "\n" + text(driver));
        if (!driver.findElements(By.id("username")).isEmpty()) {
            driver.findElement(By.id("username")).sendKeys(KeycloakServer.ADMIN);
            submit(driver.findElement(By.id("password")), KeycloakServer.ADMIN_PASSWORD);
        }
        String label = Steps.unbroken("+49 ••• •••• 81");
        By showData = By.xpath("//tr[.//*[contains(text(), '" + label + "')]]//button[@data-testid='showDataBtn']");
        console.until(d -> !d.findElements(showData).isEmpty());
        driver.findElement(showData).click();
        console.until(d -> !d.findElements(By.cssSelector("[data-testid='password-data-dialog']")).isEmpty());
        String shown = driver.findElement(By.cssSelector("[data-testid='password-data-dialog']")).getText();
        assertTrue(shown.contains("number") && shown.contains("+49 ••• •••• 81"), shown);
        assertFalse(shown.contains("phoneIndex") || shown.contains("pending") || shown.contains("30000081"),
                "no raw keys and no full number: " + shown);
    }

    /**
     * A wait for the consoles, which re-render and pass through login pages (a delete): an element it
     * read that was replaced meanwhile is read again on the next try.
     */
    private static WebDriverWait consoleWait(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(driver, timeout);
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** The page's text as a reader sees it: WebDriver gives no-break spaces as plain ones. */
    private static String text(WebDriver driver) {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** Keycloak's session cookies live under /realms/<realm>/: forget them there. */
    private static void forgetTheSession() {
        driver.get(KeycloakServer.BASE_URL + "/realms/" + realm.name() + "/.well-known/openid-configuration");
        driver.manage().deleteAllCookies();
    }

    /**
     * Types into the field and presses Enter, then waits until the browser shows the page the form led to:
     * without the wait, the next lookup can find an element of the page being left.
     */
    private static void submit(WebElement field, String text) {
        WebElement leaving = driver.findElement(By.tagName("html"));
        field.sendKeys(text + Keys.ENTER);
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
        wait.until(ExpectedConditions.stalenessOf(leaving));
        wait.until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
    }

    /** The page as it is, in light and in dark mode (keycloak.v2 follows the system's color scheme). */
    private static void screenshots(String name) throws IOException {
        String current = driver.getCurrentUrl();
        for (String scheme : new String[] {"dark", "light"}) {
            ((ChromeDriver) driver).executeCdpCommand("Emulation.setEmulatedMedia",
                    Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
            KeycloakServer.sleep(Duration.ofMillis(300));
            screenshot(name + "-" + scheme);
        }
        assertEquals(current, driver.getCurrentUrl());
    }

    private static void screenshot(String name) throws IOException {
        Path target = Path.of("target", "screenshots", name + ".png");
        Files.createDirectories(target.getParent());
        File shot = ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
