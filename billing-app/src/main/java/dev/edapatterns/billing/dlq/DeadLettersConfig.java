package dev.edapatterns.billing.dlq;

import io.smallrye.config.WithName;

/** {@code billing.dlq.*}: the renewals' dead letters. */
public interface DeadLettersConfig {

    /** {@code billing.dlq.redrives.*}: how redrives are written. */
    Redrives redrives();

    interface Redrives {
        /**
         * {@code transactional.id} of the producer that writes a copy and its redrive record in one transaction:
         * stable per process, so a restarted instance fences its killed predecessor.
         */
        @WithName("transactional.id")
        String transactionalId();
    }
}
