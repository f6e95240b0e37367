package io.rankforge;

/**
 * Bad input from a user (a path, a flag, a file's content). The CLI prints its message as one line
 * and exits non-zero; the message names the input and says what to do.
 */
public class UserInputException extends RuntimeException {
    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
