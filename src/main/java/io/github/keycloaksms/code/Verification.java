package io.github.keycloaksms.code;

/** What became of one code entry, and the challenge as it stands afterwards. */
public record Verification(Outcome outcome, CodeChallenge challenge) {

    public enum Outcome {
        /** The right code, in time, for this purpose. */
        ACCEPTED,
        /** A wrong code, counted against the code's attempts (it may have been the last one). */
        WRONG,
        /** The code of an earlier SMS for the same purpose, replaced by a resend; counted like a wrong code. */
        SUPERSEDED,
        /** The code was already dead from earlier wrong entries; this entry was not checked. */
        EXHAUSTED,
        /** The code's lifetime is over. */
        EXPIRED,
        /** Not a code of the expected length in ASCII digits; not counted as an attempt. */
        MALFORMED,
        /** No code was sent for this purpose. */
        NO_CODE
    }

    /** True when the entry counts against the account like a wrong password: a wrong code or an old one. */
    public boolean countsAsWrong() {
        return outcome == Outcome.WRONG || outcome == Outcome.SUPERSEDED;
    }

    /** The same entry answered as a wrong one: for a right code that nobody received, a lucky guess. */
    public Verification asWrong() {
        return new Verification(Outcome.WRONG, challenge);
    }
}
