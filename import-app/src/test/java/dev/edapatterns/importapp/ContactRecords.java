package dev.edapatterns.importapp;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.eventkit.testing.TopicRecords;

/**
 * What import-app wrote about a contact, read from {@code import.contacts} itself (read_committed): import-app keeps no
 * contacts to ask; order-app's read model answers the reads.
 */
final class ContactRecords {

    private ContactRecords() {
    }

    /** Every committed record of the contact's key, oldest first (a tombstone has a null value). */
    static List<ConsumerRecord<String, Contact>> of(String email) {
        String key = Contact.normalizeEmail(email);
        return TopicRecords.readCommitted(Topics.IMPORT_CONTACTS).stream().filter(r -> key.equals(r.key())).toList();
    }

    /** The contact as the topic holds it now: its last record, empty if none or a tombstone. */
    static Optional<Contact> latest(String email) {
        List<ConsumerRecord<String, Contact>> records = of(email);
        return records.isEmpty() ? Optional.empty() : Optional.ofNullable(records.get(records.size() - 1).value());
    }

    /** Waits for the contact to be on the topic (an import's contacts commit with its jobs). */
    static Contact awaitContact(String email) {
        await().atMost(Duration.ofSeconds(30)).until(() -> latest(email).isPresent());
        return latest(email).orElseThrow();
    }
}
