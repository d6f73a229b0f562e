package io.procura.coordinator;

/** A request parameter out of range or malformed: the API answers 400 naming it. */
public class BadParameterException extends IllegalArgumentException {
    private final String parameter;

    /**
     * @param parameter the parameter's name as the client sent it ({@code proofPrice}, {@code id}, …)
     * @param message   what is wrong with it
     */
    public BadParameterException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    /** @return the parameter's name */
    public String parameter() {
        return parameter;
    }
}
