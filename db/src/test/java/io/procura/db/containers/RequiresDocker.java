package io.procura.db.containers;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Marks a test class that needs a Docker engine: where none answers, every test of the class is reported as
 * <em>skipped</em> with the reason (and the reason is printed), never passed and never silently dropped. CI's
 * {@code .ci/run} installs {@code docker.io} and starts {@code dockerd}, so there they run.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(RequiresDocker.Condition.class)
public @interface RequiresDocker {

    /** The JUnit 5 condition behind {@link RequiresDocker}: asks Testcontainers whether an engine answers. */
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String why = "";
            boolean available;
            try {
                available = DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | LinkageError e) {
                available = false;
                why = ": " + e.getMessage();
            }
            if (available) return ConditionEvaluationResult.enabled("a Docker engine answers");
            String reason = "skipped: no Docker engine answers (DOCKER_HOST or /var/run/docker.sock)" + why
                    + "; on Debian, as root: apt-get install docker.io debootstrap docker-compose && dockerd &";
            System.err.println(context.getDisplayName() + ": " + reason);
            return ConditionEvaluationResult.disabled(reason);
        }
    }
}
